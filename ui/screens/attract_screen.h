// The attract screen: what the terminal offers, and the ways to begin.
#pragma once

#include "ui/screen.h"

namespace smzc::ui {

/// "attract": the welcome, a notice of devices that cannot serve, and the buttons start (by ID
/// card), eid (an e-ID code, where there is a face camera), check (is this
/// certificate genuine?) and progress (办理进度: earlier applications).
class AttractScreen : public Screen {
  Q_OBJECT

 public:
  explicit AttractScreen(QWidget* parent);
  /// One line per device problem; none hides the notice.
  void set_notices(const QStringList& notices);
  /// The citizen starts with a card: without a reader there is nothing to start.
  void set_reader_usable(bool usable);
  /// The ways that need the face camera are offered only where there is one.
  void set_has_camera(bool has);

 signals:
  void startTapped();
  void eidTapped();
  void checkTapped();
  void progressTapped();

 private:
  QLabel* notice_;
  QPushButton* start_;
  QPushButton* eid_;
  QPushButton* check_;
};

}  // namespace smzc::ui
