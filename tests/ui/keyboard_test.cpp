// The on-screen keyboard and its pinyin engine (Debian's libgooglepinyin and its dictionary),
// offscreen; the QApplication is kiosk_window_test.cpp's.
#include "ui/keyboard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <QLineEdit>

namespace smzc::ui {
namespace {

TEST(Pinyin, ComposesAPhraseFromItsParts) {
  auto decoder = PinyinDecoder::open();
  ASSERT_TRUE(decoder) << decoder.error().message;
  auto& d = *decoder.value();
  ASSERT_TRUE(d.set_letters("gongsi"));
  ASSERT_FALSE(d.candidates().isEmpty());
  EXPECT_EQ(d.candidates().front(), QString("公司"));
  EXPECT_EQ(d.choose(0), QString("公司"));
  EXPECT_TRUE(d.letters().empty()) << "a completed choice starts afresh";

  // 深圳 first, then 公司 for the letters still open.
  ASSERT_TRUE(d.set_letters("shenzhengongsi"));
  const auto first = d.candidates().indexOf("深圳");
  ASSERT_GE(first, 0) << d.candidates().join(" ").toStdString();
  EXPECT_EQ(d.choose(static_cast<size_t>(first)), std::nullopt);
  EXPECT_EQ(d.composition(), QString("深圳gongsi"));
  const auto second = d.candidates().indexOf("公司");
  ASSERT_GE(second, 0) << d.candidates().join(" ").toStdString();
  EXPECT_EQ(d.choose(static_cast<size_t>(second)), QString("深圳公司"));
}

TEST(Pinyin, RefusesWhatIsNotPinyinAndASecondEngine) {
  auto decoder = PinyinDecoder::open();
  ASSERT_TRUE(decoder) << decoder.error().message;
  EXPECT_FALSE(decoder.value()->set_letters("gong si"));
  EXPECT_FALSE(decoder.value()->set_letters("GONG"));
  EXPECT_FALSE(decoder.value()->set_letters(std::string(PinyinDecoder::kMaxLetters + 1, 'a')));
  EXPECT_TRUE(decoder.value()->letters().empty());
  EXPECT_FALSE(PinyinDecoder::open()) << "the engine is one per process";
  EXPECT_FALSE(PinyinDecoder::open("/nonexistent/dict_pinyin.dat"));
}

// Nothing a citizen chooses is learnt or written down: the engine has no user dictionary, so
// choices leave no file and the next citizen is offered what the first was.
TEST(Pinyin, NothingChosenIsLearntOrKept) {
  auto decoder = PinyinDecoder::open();
  ASSERT_TRUE(decoder) << decoder.error().message;
  auto& d = *decoder.value();
  ASSERT_TRUE(d.set_letters("nanhai"));
  const QStringList before = d.candidates();
  const auto southern_sea = before.indexOf("南海");
  ASSERT_GT(southern_sea, 0) << before.join(" ").toStdString();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(d.set_letters("nanhai"));
    EXPECT_EQ(d.choose(static_cast<size_t>(southern_sea)), QString("南海"));
  }
  d.clear();
  ASSERT_TRUE(d.set_letters("nanhai"));
  EXPECT_EQ(d.candidates(), before);
  for (const auto& f : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
    EXPECT_EQ(f.path().filename().string().rfind("smzc-pinyin", 0), std::string::npos) << f.path();
}

class Keyboard : public ::testing::Test {
 protected:
  Keyboard() {
    host.resize(1280, 1024);
    auto* layout = new QVBoxLayout(&host);
    layout->addWidget(field);
    layout->addWidget(keyboard);
    host.show();
    field->setFocus();
  }
  // Taps the key named `name`; false when the keyboard shows no such key.
  bool tap(const QString& name) {
    auto* b = keyboard->findChild<QPushButton*>(name);
    if (!b || !b->isVisible()) return false;
    b->click();
    return true;
  }
  // Taps the pinyin candidate `text`, paging through the candidates for it.
  bool choose(const QString& text) {
    for (int page = 0; page < 10; ++page) {
      for (int i = 0; i < OnScreenKeyboard::kCandidatesPerPage; ++i) {
        auto* b = keyboard->findChild<QPushButton*>(QString("candidate_%1").arg(i));
        if (b && b->isVisible() && b->text() == text) return tap(b->objectName());
      }
      if (!tap("candidates_more")) return false;
    }
    return false;
  }
  bool tap_keys(const QString& keys) {
    for (const QChar c : keys)
      if (!tap("key_" + QString(c))) return false;
    return true;
  }
  QWidget host;
  QLineEdit* field = new QLineEdit(&host);
  OnScreenKeyboard* keyboard = new OnScreenKeyboard(&host);
};

TEST_F(Keyboard, APhoneFieldGetsDigitsOnly) {
  keyboard->attach(field, layout_for_field("phone"));
  ASSERT_TRUE(keyboard->isVisible());
  EXPECT_TRUE(tap_keys("138-0013"));
  EXPECT_EQ(field->text(), "138-0013");
  EXPECT_FALSE(tap("key_a"));
  EXPECT_FALSE(tap("key_X"));
  EXPECT_TRUE(tap("key_backspace"));
  EXPECT_EQ(field->text(), "138-001");
}

TEST_F(Keyboard, AnIdNumberFieldHasTheX) {
  keyboard->attach(field, layout_for_field("id_number"));
  EXPECT_TRUE(tap_keys("44060519900307231X"));
  EXPECT_EQ(field->text(), "44060519900307231X");
}

// A company name typed by pinyin: letters compose, a candidate goes into the field, a space
// takes the best candidate, and the field keeps what was there.
TEST_F(Keyboard, TypesChineseByPinyin) {
  field->setText("佛山");
  keyboard->attach(field, layout_for_field("text"));
  ASSERT_TRUE(keyboard->pinyin_error().isEmpty()) << keyboard->pinyin_error().toStdString();
  ASSERT_EQ(keyboard->layout(), KeyboardLayout::kPinyin);
  ASSERT_TRUE(tap_keys("nanhai"));
  EXPECT_EQ(keyboard->composition(), "nanhai");
  EXPECT_EQ(field->text(), "佛山") << "nothing is typed until a candidate is chosen";
  ASSERT_TRUE(choose("南海")) << keyboard->candidates().join(" ").toStdString();
  EXPECT_EQ(field->text(), "佛山南海");
  ASSERT_TRUE(tap_keys("gongsi"));
  ASSERT_TRUE(tap("key_space"));
  EXPECT_EQ(field->text(), "佛山南海公司");
  EXPECT_TRUE(keyboard->composition().isEmpty());
  // Backspace takes composed letters first, then the field's characters.
  ASSERT_TRUE(tap_keys("ab"));
  ASSERT_TRUE(tap("key_backspace"));
  EXPECT_EQ(keyboard->composition(), "a");
  ASSERT_TRUE(tap("key_backspace"));
  ASSERT_TRUE(tap("key_backspace"));
  EXPECT_EQ(field->text(), "佛山南海公");
}

TEST_F(Keyboard, TheModeKeyGoesFromPinyinToLettersToDigitsAndBack) {
  keyboard->attach(field, KeyboardLayout::kPinyin);
  ASSERT_TRUE(tap("key_mode"));
  EXPECT_EQ(keyboard->layout(), KeyboardLayout::kLetters);
  ASSERT_TRUE(tap_keys("abc"));
  EXPECT_EQ(field->text(), "abc");
  ASSERT_TRUE(tap("key_mode"));
  ASSERT_TRUE(tap_keys("2026"));
  EXPECT_FALSE(tap("key_a"));
  ASSERT_TRUE(tap("key_mode"));
  EXPECT_EQ(keyboard->layout(), KeyboardLayout::kPinyin);
  EXPECT_EQ(field->text(), "abc2026");
}

TEST_F(Keyboard, DoneTypesWhatIsComposedAndHides) {
  keyboard->attach(field, KeyboardLayout::kPinyin);
  int done = 0;
  QObject::connect(keyboard, &OnScreenKeyboard::done, [&done] { ++done; });
  ASSERT_TRUE(tap_keys("shenzhen"));
  ASSERT_TRUE(tap("key_done"));
  EXPECT_EQ(done, 1);
  EXPECT_EQ(field->text(), "shenzhen");
  EXPECT_FALSE(keyboard->isVisible());
  EXPECT_EQ(keyboard->field(), nullptr);
}

// Every key is a touch target of at least 60 × 60 (elderly mode's floor), on every layout.
TEST_F(Keyboard, EveryKeyIsALargeTouchTarget) {
  for (const auto layout :
       {KeyboardLayout::kDigits, KeyboardLayout::kIdNumber, KeyboardLayout::kPhone,
        KeyboardLayout::kLetters, KeyboardLayout::kPinyin}) {
    keyboard->attach(field, layout);
    tap_keys("zhong");
    host.layout()->activate();
    int keys = 0;
    for (auto* b : keyboard->findChildren<QPushButton*>()) {
      if (!b->isVisible()) continue;
      ++keys;
      EXPECT_GE(b->width(), 60) << b->objectName().toStdString();
      EXPECT_GE(b->height(), 60) << b->objectName().toStdString();
    }
    EXPECT_GE(keys, 12);
  }
}

// A field that goes away while attached is let go, not typed into.
TEST_F(Keyboard, AFieldDestroyedWhileAttachedIsLetGo) {
  auto* other = new QLineEdit(&host);
  keyboard->attach(other, KeyboardLayout::kDigits);
  delete other;
  EXPECT_EQ(keyboard->field(), nullptr);
  EXPECT_TRUE(tap("key_1"));
}

}  // namespace
}  // namespace smzc::ui
