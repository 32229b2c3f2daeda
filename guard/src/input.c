#define _GNU_SOURCE
#include "input.h"

#include <X11/Xutil.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

// Decoded key presses (may hold a password character): locked in memory, wiped
// after each event.
static struct {
  char text[64];
  char hex[2 * 64 + 1];
} secret;

void input_open(struct input *input, Display *display, Window window) {
  input->method = XOpenIM(display, NULL, NULL, NULL);
  input->context = NULL;
  if (input->method == NULL) return;
  // Grabbed and override-redirect: only input styles that need no preedit window.
  const XIMStyle styles[] = {XIMPreeditNothing | XIMStatusNothing, XIMPreeditNothing | XIMStatusNone,
                             XIMPreeditNone | XIMStatusNothing, XIMPreeditNone | XIMStatusNone};
  for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]) && input->context == NULL; i++) {
    input->context = XCreateIC(input->method, XNInputStyle, styles[i], XNClientWindow, window, NULL);
  }
  mlock(&secret, sizeof(secret));
}

void input_close(struct input *input) {
  if (input->context != NULL) XDestroyIC(input->context);
  if (input->method != NULL) XCloseIM(input->method);
  input->context = NULL;
  input->method = NULL;
  explicit_bzero(&secret, sizeof(secret));
}

// UTF-8 of a keysym without an input method: Latin-1 and the Unicode keysyms.
static int keysym_utf8(KeySym keysym, char *out) {
  unsigned long code;
  if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) {
    code = keysym;
  } else if (keysym >= 0x01000100 && keysym <= 0x0110ffff) {
    code = keysym & 0x1fffff;
  } else {
    return 0;
  }
  if (code < 0x80) {
    out[0] = (char)code;
    return 1;
  }
  if (code < 0x800) {
    out[0] = (char)(0xc0 | (code >> 6));
    out[1] = (char)(0x80 | (code & 0x3f));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = (char)(0xe0 | (code >> 12));
    out[1] = (char)(0x80 | ((code >> 6) & 0x3f));
    out[2] = (char)(0x80 | (code & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (code >> 18));
  out[1] = (char)(0x80 | ((code >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((code >> 6) & 0x3f));
  out[3] = (char)(0x80 | (code & 0x3f));
  return 4;
}

void input_forward_key(struct input *input, struct ui_child *ui, XKeyEvent *event) {
  KeySym keysym = NoSymbol;
  int length = 0;
  bool press = event->type == KeyPress;
  if (press && input->context != NULL) {
    Status status = XLookupNone;
    length = Xutf8LookupString(input->context, event, secret.text, sizeof(secret.text) - 1, &keysym, &status);
    if (status != XLookupChars && status != XLookupBoth) length = 0;
    if (status == XBufferOverflow) length = 0;
  } else {
    char latin1[8];
    XLookupString(event, latin1, sizeof(latin1), &keysym, NULL);
    explicit_bzero(latin1, sizeof(latin1));
    if (press) length = keysym_utf8(keysym, secret.text);
  }
  if (length < 0 || (size_t)length >= sizeof(secret.text)) length = 0;
  // Control characters (Return, BackSpace, Tab, Ctrl+letter) travel as keysyms only.
  if (length == 1 && ((unsigned char)secret.text[0] < 0x20 || secret.text[0] == 0x7f)) length = 0;
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < length; i++) {
    secret.hex[2 * i] = digits[(unsigned char)secret.text[i] >> 4];
    secret.hex[2 * i + 1] = digits[(unsigned char)secret.text[i] & 0xf];
  }
  secret.hex[2 * length] = '\0';
  const char *name = keysym != NoSymbol ? XKeysymToString(keysym) : NULL;
  ui_send(ui, "key %s %s %u %s", press ? "press" : "release", name != NULL ? name : "NoSymbol",
          event->state, length > 0 ? secret.hex : "-");
  explicit_bzero(&secret, sizeof(secret));
}

void input_forward_pointer(struct ui_child *ui, XEvent *event, int origin_x, int origin_y) {
  switch (event->type) {
    case ButtonPress:
    case ButtonRelease:
      ui_send(ui, "button %s %u %d %d %u", event->type == ButtonPress ? "press" : "release",
              event->xbutton.button, event->xbutton.x_root - origin_x, event->xbutton.y_root - origin_y,
              event->xbutton.state);
      break;
    case MotionNotify:
      ui_send(ui, "motion %d %d %u", event->xmotion.x_root - origin_x, event->xmotion.y_root - origin_y,
              event->xmotion.state);
      break;
    default:
      break;
  }
}
