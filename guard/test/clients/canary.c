// A test client: a plain red window another program (the user's) would show, that
// reports every key and button it receives on stdout. The guard's tests check that
// none of it shows and nothing reaches it while the screen is locked.
//
//   canary X Y WIDTH HEIGHT     prints "ready 0xWINDOW" once mapped, then "key NAME", "button N"
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: canary X Y WIDTH HEIGHT\n");
    return 1;
  }
  Display *display = XOpenDisplay(NULL);
  if (display == NULL) return 2;
  int screen = DefaultScreen(display);
  XSetWindowAttributes attributes = {.background_pixel = 0xff0000, .event_mask = KeyPressMask | ButtonPressMask | StructureNotifyMask};
  Window window = XCreateWindow(display, RootWindow(display, screen), atoi(argv[1]), atoi(argv[2]),
                                (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]), 0, CopyFromParent, InputOutput,
                                CopyFromParent, CWBackPixel | CWEventMask, &attributes);
  XStoreName(display, window, "canary");
  XMapRaised(display, window);
  for (;;) {
    XEvent event;
    XNextEvent(display, &event);
    if (event.type == MapNotify) {
      XSetInputFocus(display, window, RevertToParent, CurrentTime);
      printf("ready 0x%lx\n", window);
    } else if (event.type == KeyPress) {
      KeySym keysym = XLookupKeysym(&event.xkey, 0);
      const char *name = XKeysymToString(keysym);
      printf("key %s\n", name != NULL ? name : "?");
    } else if (event.type == ButtonPress) {
      printf("button %u\n", event.xbutton.button);
    }
    fflush(stdout);
  }
}
