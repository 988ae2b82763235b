// The on-screen keyboard: a kiosk has no physical one. Digits, the ID number's X, phone numbers,
// Latin letters and Chinese by pinyin, with keys large enough for elderly mode.
#pragma once

#include <QBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>
#include <map>
#include <memory>

#include "ui/pinyin.h"

namespace smzc::ui {

/// What a field takes, and so which keys it gets.
enum class KeyboardLayout {
  kDigits,    ///< 0–9
  kIdNumber,  ///< 0–9 and X (the check digit of a resident ID number)
  kPhone,     ///< 0–9 and -
  kLetters,   ///< Latin letters, digits on a second page
  kPinyin,    ///< Latin letters composing Chinese by pinyin, with candidates; switches to kLetters
};

/// The layout a catalogue form field of `type` (text, phone, id_number, ...) gets.
KeyboardLayout layout_for_field(const std::string& type);

/// Types into one QLineEdit at a time (attach()). Its keys never take the focus, so the field
/// keeps its cursor. Every key is a QPushButton named for what it does: key_0…key_9, key_a…key_z,
/// key_X, key_-, key_space, key_backspace, key_mode (中/英/123), key_done; pinyin candidates are
/// candidate_0… and the next page candidates_more. The keyboard does not own the field; a field
/// that is destroyed is simply let go. Without a pinyin dictionary the pinyin layout falls back to
/// letters (and says so in pinyin_error()).
class OnScreenKeyboard : public QWidget {
  Q_OBJECT

 public:
  explicit OnScreenKeyboard(QWidget* parent = nullptr);
  ~OnScreenKeyboard() override;

  /// Types into `field` from now on, with `layout`'s keys; shows the keyboard.
  void attach(QLineEdit* field, KeyboardLayout layout);
  /// Types into `field` with `layout`'s keys whenever it is tapped or given the focus, moving the
  /// keyboard into `dock` (a layout of the screen the field is on) first: one keyboard serves
  /// every screen that types. The field may be destroyed at any time.
  void serve(QLineEdit* field, KeyboardLayout layout, QBoxLayout* dock);
  /// Stops typing into any field, drops a composition, hides the keyboard (a session ended:
  /// the pinyin engine learns nothing, so nothing else of the citizen stays).
  void detach();
  QLineEdit* field() const { return field_; }
  KeyboardLayout layout() const { return layout_; }
  /// The letters being composed and their candidates (pinyin only).
  QString composition() const;
  QStringList candidates() const;
  /// Why pinyin is not offered, if it is not (known once a field first asked for it).
  const QString& pinyin_error() const { return pinyin_error_; }
  /// Candidates shown at once.
  static constexpr int kCandidatesPerPage = 6;

 signals:
  /// The citizen tapped "done" (完成).
  void done();
  /// The keyboard appeared (true) or went (false): a screen makes room for it.
  void shownChanged(bool shown);
  /// A field served (serve()) was tapped and is typed into now.
  void attached(QLineEdit* field);

 private:
  void changeEvent(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;
  void rebuild();
  void add_row(const QString& keys);
  QPushButton* key(const QString& label, const QString& name);
  void type(const QString& text);
  void letter(char c);
  void backspace();
  void space();
  void switch_mode();
  void choose(int index_on_page);
  void refresh_candidates();

  QPointer<QLineEdit> field_;
  struct Served {
    KeyboardLayout layout;
    QPointer<QBoxLayout> dock;
  };
  std::map<QObject*, Served> served_;
  KeyboardLayout layout_ = KeyboardLayout::kLetters;
  bool digits_page_ = false;  // letters layouts: showing digits instead
  std::unique_ptr<PinyinDecoder> pinyin_;
  QString pinyin_error_;
  int candidate_page_ = 0;
  QWidget* candidate_bar_;
  QLabel* composition_label_;
  std::vector<QPushButton*> candidate_buttons_;
  QPushButton* more_;
  QWidget* keys_;
  QVBoxLayout* rows_;
};

}  // namespace smzc::ui
