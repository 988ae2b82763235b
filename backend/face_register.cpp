#include "backend/face_register.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "base/paths.h"
#include "base/privacy.h"

namespace smzc::backend {
namespace {

constexpr int kMaxSide = 2048;
constexpr size_t kMaxRegisterBytes = 1 << 20;

// Width and height from a PNG's or JPEG's header, before anything is decoded.
std::optional<std::pair<int, int>> header_size(const std::string& bytes) {
  auto byte = [&bytes](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() > 24 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0)
    return std::pair{(byte(16) << 24) | (byte(17) << 16) | (byte(18) << 8) | byte(19),
                     (byte(20) << 24) | (byte(21) << 16) | (byte(22) << 8) | byte(23)};
  if (bytes.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  for (size_t i = 2; i + 9 < bytes.size();) {
    if (byte(i) != 0xFF) return std::nullopt;
    const int marker = byte(i + 1);
    const size_t length = (byte(i + 2) << 8) | byte(i + 3);
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
      return std::pair{(byte(i + 7) << 8) | byte(i + 8), (byte(i + 5) << 8) | byte(i + 6)};
    i += 2 + length;
  }
  return std::nullopt;
}

}  // namespace

std::filesystem::path default_register_path() {
  return data_file("backend/data/register.json");
}

Result<std::unique_ptr<FaceRegister>> FaceRegister::load(Options options) {
  std::map<std::string, std::filesystem::path> photos;
  std::error_code ec;
  if (std::filesystem::exists(options.path, ec)) {
    auto text = read_file(options.path, kMaxRegisterBytes);
    if (!text) return text.error();
    const auto j = nlohmann::json::parse(text.value(), nullptr, false);
    if (!j.is_object() || !j.value("people", nlohmann::json()).is_array())
      return Error{Completion::kInvalidData,
                   options.path.string() + " is not a register: {\"people\": [...]}"};
    for (const auto& p : j["people"]) {
      if (!p.is_object() || !p.value("id_number", nlohmann::json()).is_string() ||
          !p.value("photo", nlohmann::json()).is_string())
        return Error{Completion::kInvalidData,
                     options.path.string() + ": each person has an id_number and a photo"};
      std::filesystem::path photo = p["photo"].get<std::string>();
      if (photo.is_relative()) photo = options.path.parent_path() / photo;
      photos[p["id_number"].get<std::string>()] = photo;
    }
  }
  return std::unique_ptr<FaceRegister>(new FaceRegister(std::move(options), std::move(photos)));
}

FaceAnswer FaceRegister::compare(const std::string& id_number, const std::string& image) {
  FaceAnswer answer;
  const auto size = header_size(image);
  if (!size || size->first < 64 || size->second < 64 || size->first > kMaxSide ||
      size->second > kMaxSide) {
    answer.face = "unusable";
    return answer;
  }
  const auto photo = photos_.find(id_number);
  if (photo == photos_.end()) {
    answer.face = "no-register-photo";
    return answer;
  }
  std::lock_guard lock(mutex_);
  if (!pipeline_) {
    auto models =
        face::find_models(options_.models.empty() ? face::default_models_dir() : options_.models);
    auto loaded = models ? face::Pipeline::load(models.value())
                         : Result<std::unique_ptr<face::Pipeline>>(models.error());
    if (!loaded) {
      spdlog::error("face comparison unavailable: {}", loaded.error().message);
      answer.face = "unavailable";
      return answer;
    }
    pipeline_ = std::move(loaded.value());
  }
  auto known = embeddings_.find(id_number);
  if (known == embeddings_.end()) {
    cv::Mat picture = cv::imread(photo->second.string(), cv::IMREAD_COLOR);
    auto sample =
        picture.empty() ? Result<face::Pipeline::Sample>(Error{}) : pipeline_->sample(picture);
    if (!sample) {
      spdlog::error("the register photo of {} is unusable", mask_id_number(id_number));
      answer.face = "unavailable";
      return answer;
    }
    known = embeddings_.emplace(id_number, sample->embedding).first;
  }
  const cv::Mat raw(1, int(image.size()), CV_8UC1, const_cast<char*>(image.data()));
  cv::Mat live = cv::imdecode(raw, cv::IMREAD_COLOR);
  auto sample = live.empty() ? Result<face::Pipeline::Sample>(Error{}) : pipeline_->sample(live);
  if (!live.empty()) live.setTo(cv::Scalar::all(0));
  if (!sample) {
    answer.face = "unusable";
    return answer;
  }
  const double threshold = options_.threshold > 0 ? options_.threshold : face::kDefaultThreshold;
  const double d = face::distance(sample->embedding, known->second);
  face::wipe(sample->embedding);
  sample->chip.setTo(cv::Scalar::all(0));
  answer.face = d <= threshold ? "matched" : "not-matched";
  answer.score = d;
  answer.threshold = threshold;
  return answer;
}

}  // namespace smzc::backend
