#include "services/device_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace smzc::services {

DeviceManager::~DeviceManager() {
  stop();
  for (auto& slot : slots_) slot.device->remove_listener(slot.listener);
}

Result<std::unique_ptr<Device>> DeviceManager::make_device(const DeviceSpec& spec) {
  auto option = [&spec](const std::string& name, const std::string& fallback) {
    auto it = spec.options.find(name);
    return it == spec.options.end() ? fallback : it->second;
  };
  const std::string where = "device \"" + spec.id + "\"";
  if (spec.id.empty()) return Error{Completion::kInvalidData, "a device needs an id"};
  if (spec.kind == DeviceKind::kCardReader && spec.driver == "sam") {
    idcard::SamCardReader::Options o{.port = spec.address};
    try {
      o.baud = std::stoi(option("baud", "115200"));
    } catch (const std::exception&) {
      return Error{Completion::kInvalidData, where + ": baud must be a number"};
    }
    if (o.baud <= 0) return Error{Completion::kInvalidData, where + ": baud must be positive"};
    if (o.port.empty()) return Error{Completion::kInvalidData, where + ": no address"};
    return std::unique_ptr<Device>(std::make_unique<idcard::SamCardReader>(spec.id, o));
  }
  if (spec.kind == DeviceKind::kPrinter && spec.driver == "ipp") {
    if (spec.address.rfind("ipp://", 0) != 0 && spec.address.rfind("ipps://", 0) != 0)
      return Error{Completion::kInvalidData, where + ": address must be an ipp:// or ipps:// URI"};
    return std::unique_ptr<Device>(
        std::make_unique<printer::IppPrinter>(spec.address, spec.id, option("user", "kiosk")));
  }
  if (spec.kind == DeviceKind::kCamera && spec.driver == "opencv") {
    camera::OpenCvCamera::Options o{.address = spec.address};
    try {
      o.file_fps = std::stod(option("fps", "15"));
      o.width = std::stoi(option("width", "1280"));
      o.height = std::stoi(option("height", "720"));
    } catch (const std::exception&) {
      return Error{Completion::kInvalidData, where + ": fps, width and height must be numbers"};
    }
    if (o.file_fps < 0 || o.width <= 0 || o.height <= 0)
      return Error{Completion::kInvalidData, where + ": fps, width and height must be positive"};
    o.loop = option("loop", "false") == "true";
    if (const auto role = option("role", "face"); role != "face" && role != "document")
      return Error{Completion::kInvalidData, where + ": role must be face or document"};
    if (o.address.empty()) return Error{Completion::kInvalidData, where + ": no address"};
    return std::unique_ptr<Device>(std::make_unique<camera::OpenCvCamera>(spec.id, o));
  }
  if (spec.kind == DeviceKind::kScanner && spec.driver == "sane") {
    if (spec.address.empty())
      return Error{Completion::kInvalidData, where + ": no address (a SANE device name)"};
    // "sane.NAME" options go to the backend as they are (a model's own settings).
    std::map<std::string, std::string> backend;
    for (const auto& [name, value] : spec.options)
      if (name.rfind("sane.", 0) == 0) backend[name.substr(5)] = value;
    return std::unique_ptr<Device>(
        std::make_unique<scanner::SaneScanner>(spec.id, spec.address, backend));
  }
  return Error{Completion::kUnsupported,
               where + ": no driver \"" + spec.driver + "\" for kind " + to_string(spec.kind)};
}

Status DeviceManager::add(std::unique_ptr<Device> device, std::string role) {
  if (supervisor_.joinable())
    return Error{Completion::kUserError, "devices are added before the manager starts"};
  if (find(device->id()))
    return Error{Completion::kInvalidData, "two devices with the id \"" + device->id() + "\""};
  if (device->kind() == DeviceKind::kCamera && role.empty()) role = "face";
  if (!role.empty() && role != "face" && role != "document")
    return Error{Completion::kInvalidData,
                 "device \"" + device->id() + "\": role must be face or document"};
  Slot slot{std::move(device), std::move(role), 0};
  slot.listener = slot.device->add_listener(
      [this](const Device& d, const DeviceStatus& s) { on_change(d, s); });
  slots_.push_back(std::move(slot));
  return ok_status();
}

void DeviceManager::on_change(const Device& device, const DeviceStatus& status) {
  spdlog::info("device {} ({}): {}{}{}", device.id(), to_string(device.kind()),
               to_string(status.state),
               status.media == MediaState::kNotApplicable || status.media == MediaState::kUnknown
                   ? ""
                   : std::string(", ") + to_string(status.media),
               status.detail.empty() ? "" : " — " + status.detail);
  listeners_.notify(DeviceEntry{device.id(), device.kind(), device.address(), status});
}

void DeviceManager::poll_all() {
  for (auto& slot : slots_) slot.device->poll(after(options_.poll_interval));
}

void DeviceManager::start() {
  if (supervisor_.joinable()) return;
  poll_all();
  supervisor_ = std::jthread([this](std::stop_token stop) {
    while (sleep_until(after(options_.poll_interval), stop)) poll_all();
  });
}

void DeviceManager::stop() {
  if (!supervisor_.joinable()) return;
  supervisor_.request_stop();
  supervisor_.join();
  supervisor_ = std::jthread();
}

Device* DeviceManager::find(const std::string& id) const {
  for (const auto& slot : slots_)
    if (slot.device->id() == id) return slot.device.get();
  return nullptr;
}

Device* DeviceManager::first(DeviceKind kind) const {
  for (const auto& slot : slots_)
    if (slot.device->kind() == kind) return slot.device.get();
  return nullptr;
}

idcard::CardReader* DeviceManager::card_reader() const {
  return dynamic_cast<idcard::CardReader*>(first(DeviceKind::kCardReader));
}

printer::Printer* DeviceManager::printer() const {
  return dynamic_cast<printer::Printer*>(first(DeviceKind::kPrinter));
}

camera::Camera* DeviceManager::camera(const std::string& role) const {
  for (const auto& slot : slots_)
    if (slot.device->kind() == DeviceKind::kCamera && slot.role == role)
      return dynamic_cast<camera::Camera*>(slot.device.get());
  return nullptr;
}

scanner::Scanner* DeviceManager::scanner() const {
  return dynamic_cast<scanner::Scanner*>(first(DeviceKind::kScanner));
}

std::vector<DeviceEntry> DeviceManager::snapshot() const {
  std::vector<DeviceEntry> out;
  for (const auto& slot : slots_)
    out.push_back(
        {slot.device->id(), slot.device->kind(), slot.device->address(), slot.device->status()});
  return out;
}

std::set<std::string> DeviceManager::kinds() const {
  std::set<std::string> out;
  for (const auto& slot : slots_) out.insert(to_string(slot.device->kind()));
  return out;
}

}  // namespace smzc::services
