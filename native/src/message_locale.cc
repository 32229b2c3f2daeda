#include "message_locale.h"

#include <cctype>

namespace gatehouse {

namespace {

constexpr int kCategories = LC_MESSAGES_MASK | LC_CTYPE_MASK;
constexpr size_t kMaxNameBytes = 64;

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' ||
         c == '@';
}

}  // namespace

bool IsValidLocaleName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  // A name with a '/' is a path to glibc; '.' and '..' alone would be directories.
  if (name[0] == '.') return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

bool LocaleAvailable(const std::string& name) {
  if (!IsValidLocaleName(name)) return false;
  locale_t locale = newlocale(kCategories, name.c_str(), static_cast<locale_t>(0));
  if (locale == static_cast<locale_t>(0)) return false;
  freelocale(locale);
  return true;
}

MessageLocale::MessageLocale(const std::string& name) {
  if (IsValidLocaleName(name)) locale_ = newlocale(kCategories, name.c_str(), static_cast<locale_t>(0));
}

MessageLocale::~MessageLocale() {
  if (locale_ != static_cast<locale_t>(0)) freelocale(locale_);
}

ThreadLocaleScope::ThreadLocaleScope(locale_t locale) {
  if (locale != static_cast<locale_t>(0)) previous_ = uselocale(locale);
}

ThreadLocaleScope::~ThreadLocaleScope() {
  if (previous_ != static_cast<locale_t>(0)) uselocale(previous_);
}

}  // namespace gatehouse
