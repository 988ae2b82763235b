// OpenCV frames shown in Qt: a copy that owns its pixels, so the frame may be wiped at once.
#pragma once

#include <QImage>
#include <opencv2/core.hpp>

namespace smzc::ui {

/// `frame` (8-bit BGR or grey) as a QImage of its own, scaled to fit `box` (keeping its shape)
/// straight from the frame's pixels, with no full-size copy left behind (a citizen's document or
/// face must not linger in freed memory); a null image for any other kind of frame.
inline QImage to_qimage(const cv::Mat& frame, QSize box) {
  QImage::Format format;
  if (frame.type() == CV_8UC3)
    format = QImage::Format_BGR888;
  else if (frame.type() == CV_8UC1)
    format = QImage::Format_Grayscale8;
  else
    return {};
  const QImage view(frame.data, frame.cols, frame.rows, int(frame.step), format);
  return view.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

}  // namespace smzc::ui
