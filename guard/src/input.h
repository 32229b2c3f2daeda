// Input for the UI: the guard holds the grabs for the whole lock, so every key and
// pointer event comes to it; it forwards them over the private channel to the UI,
// which feeds them to its conversation window. Nothing is kept: each event's
// decoded text is wiped as soon as it is sent.
#ifndef GATEHOUSE_GUARD_INPUT_H
#define GATEHOUSE_GUARD_INPUT_H

#include <X11/Xlib.h>

#include "ui_child.h"

struct input {
  XIM method;
  XIC context;  // NULL: Latin-1 and Unicode keysyms only
};

void input_open(struct input *input, Display *display, Window window);
void input_close(struct input *input);

// key press|release KEYSYM-NAME STATE TEXT-HEX ("-" when the key types nothing)
void input_forward_key(struct input *input, struct ui_child *ui, XKeyEvent *event);

// button press|release N X Y STATE / motion X Y STATE, in the coordinates of the
// UI's window, whose top left corner is at (origin_x, origin_y) on the root.
void input_forward_pointer(struct ui_child *ui, XEvent *event, int origin_x, int origin_y);

#endif
