// What the camera sees: face checks, e-ID codes, certificate codes, page captures.
#pragma once

#include <QImage>

#include "drivers/camera/analysis.h"
#include "ui/screen.h"

namespace smzc::ui {

/// "camera": what to show the camera (the title), its live view ("camera_view") and the one
/// instruction of the moment ("camera_advice"), and cancel.
class CameraScreen : public Screen {
  Q_OBJECT

 public:
  explicit CameraScreen(QWidget* parent);
  /// Starts a new look: `title` says what to show; the last view and advice are cleared. With
  /// `face_guide`, an oval on the view shows where to put the face (the face check).
  void begin(const QString& title, bool face_guide = false);
  void show_frame(const QImage& view, camera::Advice advice);
  QString spoken() const override { return title_->text(); }
  /// The last frame (the citizen's face) goes too.
  void wipe() override;

 signals:
  void cancelTapped();

 private:
  QLabel* title_;
  QLabel* view_;
  QLabel* advice_;
  bool face_guide_ = false;
};

}  // namespace smzc::ui
