// The screen that waits for the ID card.
#pragma once

#include "ui/screen.h"

namespace smzc::ui {

/// "read_card": where to lay the card, and cancel (back to the start).
class ReadCardScreen : public Screen {
  Q_OBJECT

 public:
  explicit ReadCardScreen(QWidget* parent);

 signals:
  void cancelTapped();
};

}  // namespace smzc::ui
