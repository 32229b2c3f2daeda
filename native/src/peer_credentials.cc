// SO_PEERCRED on a connected Unix socket. The credentials are those of the
// process that connected, taken by the kernel at connect() time: they cannot be
// forged by the peer, and unlike a lookup of the peer's pid in /proc (or
// `ss -xp`) they cannot race with that process exiting and its pid being reused.
#include "peer_credentials.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <string>

#include "errors.h"

namespace gatehouse {

namespace {

[[noreturn]] void ThrowErrno(Napi::Env env, int error, const char* call) {
  const char* code = "EIO";
  switch (error) {
    case EBADF: code = "EBADF"; break;
    case ENOTSOCK: code = "ENOTSOCK"; break;
    case ENOTCONN: code = "ENOTCONN"; break;
    case EINVAL: code = "EINVAL"; break;
    case ENOPROTOOPT: code = "ENOPROTOOPT"; break;
    default: break;
  }
  char text[128];
  // strerror_r is the GNU variant here (_GNU_SOURCE): it returns the text.
  const char* message = strerror_r(error, text, sizeof text);
  ThrowCodeError(env, code, std::string(call) + ": " + message);
}

}  // namespace

Napi::Value PeerCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) ThrowTypeError(env, "peerCredentials: fd must be a number");
  const double value = info[0].As<Napi::Number>().DoubleValue();
  if (!(value >= 0 && value <= 2147483647.0) || value != static_cast<double>(static_cast<int>(value))) {
    ThrowRangeError(env, "peerCredentials: fd must be a non-negative integer");
  }
  const int fd = static_cast<int>(value);

  int domain = 0;
  socklen_t length = sizeof domain;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) != 0) ThrowErrno(env, errno, "getsockopt(SO_DOMAIN)");
  // On other sockets SO_PEERCRED answers with made-up values (uid -1), never an error.
  if (domain != AF_UNIX) ThrowCodeError(env, "ERR_NOT_UNIX_SOCKET", "peerCredentials: not a Unix domain socket");

  struct ucred credentials {};
  length = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
    ThrowErrno(env, errno, "getsockopt(SO_PEERCRED)");
  }
  if (length != sizeof credentials) ThrowCodeError(env, "EIO", "getsockopt(SO_PEERCRED): short answer");

  Napi::Object result = Napi::Object::New(env);
  result.Set("pid", Napi::Number::New(env, credentials.pid));
  result.Set("uid", Napi::Number::New(env, credentials.uid));
  result.Set("gid", Napi::Number::New(env, credentials.gid));
  return result;
}

}  // namespace gatehouse
