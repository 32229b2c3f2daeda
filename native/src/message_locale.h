// The language libpam and the modules speak on a transaction's thread.
//
// libpam and the modules translate their texts (prompts such as "Password: ",
// pam_strerror, pwquality's rejections) with dgettext, which reads the calling
// thread's LC_MESSAGES and converts to its LC_CTYPE codeset. A transaction started
// with a locale runs every call for its handle with that locale installed on its
// thread (uselocale), and puts the thread's previous locale back after each call:
// the pooled thread serves other transactions afterwards. The process's global
// locale is never touched.
#pragma once

#include <locale.h>

#include <string>

namespace gatehouse {

// Whether `name` may be handed to newlocale: a locale name such as de_DE.UTF-8,
// never anything that could reach outside the system's locale directories.
bool IsValidLocaleName(const std::string& name);

// Whether the locale is installed (newlocale finds its LC_MESSAGES and LC_CTYPE).
bool LocaleAvailable(const std::string& name);

// A loaded locale (LC_MESSAGES and LC_CTYPE of `name`). Empty when the locale is
// not installed: the thread then keeps the C locale and PAM speaks English.
class MessageLocale {
 public:
  explicit MessageLocale(const std::string& name);
  ~MessageLocale();
  MessageLocale(const MessageLocale&) = delete;
  MessageLocale& operator=(const MessageLocale&) = delete;

  locale_t get() const { return locale_; }

 private:
  locale_t locale_ = static_cast<locale_t>(0);
};

// Installs `locale` on the calling thread for the scope's lifetime (nothing for an
// empty one), then restores what was there.
class ThreadLocaleScope {
 public:
  explicit ThreadLocaleScope(locale_t locale);
  ~ThreadLocaleScope();
  ThreadLocaleScope(const ThreadLocaleScope&) = delete;
  ThreadLocaleScope& operator=(const ThreadLocaleScope&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace gatehouse
