#include "handle.h"

#include <security/pam_appl.h>

#include <cmath>
#include <cstring>
#include <string>

#include "bridge.h"
#include "conversation.h"
#include "errors.h"
#include "message_locale.h"

namespace gatehouse {

namespace {

constexpr size_t kMaxServiceBytes = 255;
constexpr size_t kMaxUserBytes = 1024;
constexpr size_t kMaxPathBytes = 4096;
constexpr size_t kMaxItemBytes = 4096;
constexpr size_t kMaxEnvBytes = 32 * 1024;
constexpr size_t kMaxXauthBytes = 64 * 1024;
constexpr size_t kMaxAnswerBytes = PAM_MAX_RESP_SIZE;

// Copies a JS string into a wiped buffer, refusing NUL bytes and anything over
// `max_bytes` (UTF-8). `what` names the argument in the error; the value never
// appears in it.
SecureBuffer CopyString(Napi::Env env, napi_value value, const char* what, size_t max_bytes) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) {
    ThrowTypeError(env, std::string(what) + " must be a string");
  }
  if (length > max_bytes) {
    ThrowRangeError(env, std::string(what) + " is " + std::to_string(length) +
                             " bytes long; at most " + std::to_string(max_bytes) + " are allowed");
  }
  SecureBuffer buffer(length + 1);
  size_t copied = 0;
  napi_get_value_string_utf8(env, value, buffer.data(), length + 1, &copied);
  buffer.Truncate(copied);
  if (std::memchr(buffer.data(), '\0', copied) != nullptr) {
    ThrowTypeError(env, std::string(what) + " must not contain NUL bytes");
  }
  return buffer;
}

std::string RequireString(const Napi::CallbackInfo& info, size_t index, const char* what,
                          size_t max_bytes) {
  if (!info[index].IsString()) ThrowTypeError(info.Env(), std::string(what) + " must be a string");
  SecureBuffer bytes = CopyString(info.Env(), info[index], what, max_bytes);
  return std::string(bytes.data() != nullptr ? bytes.data() : "", bytes.size());
}

std::optional<std::string> OptionalString(const Napi::CallbackInfo& info, size_t index,
                                          const char* what, size_t max_bytes) {
  if (info[index].IsUndefined() || info[index].IsNull()) return std::nullopt;
  return RequireString(info, index, what, max_bytes);
}

int64_t RequireInteger(const Napi::CallbackInfo& info, size_t index, const char* what, double min,
                       double max) {
  // One Node-API call: napi_get_value_double itself refuses what is not a number.
  double value = 0;
  if (napi_get_value_double(info.Env(), info[index], &value) != napi_ok) {
    ThrowTypeError(info.Env(), std::string(what) + " must be a number");
  }
  if (!std::isfinite(value) || std::floor(value) != value || value < min || value > max) {
    ThrowRangeError(info.Env(), std::string(what) + " must be an integer from " +
                                    std::to_string(int64_t(min)) + " to " +
                                    std::to_string(int64_t(max)));
  }
  return static_cast<int64_t>(value);
}

bool IsReadableItem(int item) {
  switch (item) {
    case PAM_SERVICE:
    case PAM_USER:
    case PAM_TTY:
    case PAM_RHOST:
    case PAM_RUSER:
    case PAM_USER_PROMPT:
    case PAM_XDISPLAY:
    case PAM_AUTHTOK_TYPE:
      return true;
    default:
      // PAM_AUTHTOK / PAM_OLDAUTHTOK are secrets and never leave libpam through
      // this addon; PAM_CONV, PAM_FAIL_DELAY and PAM_XAUTHDATA are not strings.
      return false;
  }
}

struct OpSpec {
  const char* name;
  Job::Kind kind;
  int allowed_flags;
};

// run() takes an operation by its index here (operationCodes, for native/index.ts).
const OpSpec kOps[] = {
    {"authenticate", Job::Kind::kAuthenticate, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK},
    {"acctMgmt", Job::Kind::kAcctMgmt, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK},
    {"chauthtok", Job::Kind::kChauthtok, PAM_SILENT | PAM_CHANGE_EXPIRED_AUTHTOK},
    {"setcred", Job::Kind::kSetcred,
     PAM_SILENT | PAM_ESTABLISH_CRED | PAM_DELETE_CRED | PAM_REINITIALIZE_CRED | PAM_REFRESH_CRED},
    {"openSession", Job::Kind::kOpenSession, PAM_SILENT},
    {"closeSession", Job::Kind::kCloseSession, PAM_SILENT},
};

// Converts one answer for a message of `style`, or throws (after which the
// caller fails the conversation).
Answer ConvertAnswer(Napi::Env env, napi_value value, int style, size_t index) {
  const std::string what = "answer " + std::to_string(index);
  Answer answer;
  napi_valuetype type;
  napi_typeof(env, value, &type);
  if (type == napi_null || type == napi_undefined) return answer;
  if (!StyleWantsAnswer(style)) {
    ThrowTypeError(env, what + " is for an " + StyleName(style) + " message and must be null");
  }
  bool is_typed_array = false;
  napi_is_typedarray(env, value, &is_typed_array);
#ifdef PAM_BINARY_PROMPT
  const bool binary = style == PAM_BINARY_PROMPT;
#else
  const bool binary = false;
#endif
  if (is_typed_array) {
    napi_typedarray_type array_type;
    size_t length = 0;
    void* data = nullptr;
    napi_get_typedarray_info(env, value, &array_type, &length, &data, nullptr, nullptr);
    if (array_type != napi_uint8_array) ThrowTypeError(env, what + " must be a Uint8Array");
    const size_t max = binary ? Transaction::kMaxBinaryPromptBytes : kMaxAnswerBytes;
    if (length > max) {
      ThrowRangeError(env, what + " is " + std::to_string(length) + " bytes long; at most " +
                               std::to_string(max) + " are allowed");
    }
    answer.bytes = SecureBuffer(static_cast<const char*>(data), length);
    if (binary) {
      const auto* b = reinterpret_cast<const unsigned char*>(answer.bytes.data());
      const size_t declared = length >= 4 ? (size_t{b[0]} << 24) | (size_t{b[1]} << 16) |
                                                (size_t{b[2]} << 8) | size_t{b[3]}
                                          : 0;
      if (length < 5 || declared != length) {
        ThrowTypeError(env, what + " is not a binary prompt reply (a 4-byte big-endian length "
                                   "equal to its size, a control byte, then the data)");
      }
      answer.kind = Answer::Kind::kBinary;
    } else {
      if (length != 0 && std::memchr(answer.bytes.data(), '\0', length) != nullptr) {
        ThrowTypeError(env, what + " must not contain NUL bytes");
      }
      answer.kind = Answer::Kind::kText;
    }
    return answer;
  }
  if (binary) ThrowTypeError(env, what + " answers a binary prompt and must be a Uint8Array");
  if (type != napi_string) ThrowTypeError(env, what + " must be a string, a Uint8Array or null");
  answer.bytes = CopyString(env, value, what.c_str(), kMaxAnswerBytes);
  answer.kind = Answer::Kind::kText;
  return answer;
}

}  // namespace

Napi::Object OperationCodes(Napi::Env env) {
  Napi::Object codes = Napi::Object::New(env);
  for (size_t i = 0; i < sizeof(kOps) / sizeof(kOps[0]); ++i) {
    codes.Set(kOps[i].name, Napi::Number::New(env, static_cast<double>(i)));
  }
  return codes;
}

Napi::Function PamHandle::Define(Napi::Env env) {
  return DefineClass(env, "PamHandle",
                     {
                         InstanceMethod<&PamHandle::Start>("start"),
                         InstanceMethod<&PamHandle::Run>("run"),
                         InstanceMethod<&PamHandle::GetItem>("getItem"),
                         InstanceMethod<&PamHandle::SetItem>("setItem"),
                         InstanceMethod<&PamHandle::SetXauthData>("setXauthData"),
                         InstanceMethod<&PamHandle::Getenv>("getenv"),
                         InstanceMethod<&PamHandle::Putenv>("putenv"),
                         InstanceMethod<&PamHandle::Getenvlist>("getenvlist"),
                         InstanceMethod<&PamHandle::End>("end"),
                         InstanceMethod<&PamHandle::Respond>("respond"),
                         InstanceMethod<&PamHandle::FailConversation>("failConversation"),
                         InstanceMethod<&PamHandle::Abort>("abort"),
                     });
}

// new PamHandle(owner, receiversId, conversationTimeoutMs): events go to the
// receivers registered as receiversId (registerReceivers), with owner as `this`.
PamHandle::PamHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PamHandle>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) ThrowTypeError(env, "owner must be an object");
  const int64_t receivers = RequireInteger(info, 1, "receiversId", 0, 4294967295.0);
  if (Bridge::Get(env)->receivers(static_cast<uint32_t>(receivers)) == nullptr) {
    ThrowRangeError(env, "receiversId was not registered");
  }
  const int64_t timeout = RequireInteger(info, 2, "conversationTimeoutMs", 0, 2147483647);
  tx_ = Transaction::Create(env, info[0].As<Napi::Object>(), static_cast<uint32_t>(receivers),
                            timeout);
}

PamHandle::~PamHandle() {
  // Garbage-collected without end(): end the handle on its own thread.
  if (tx_) tx_->Detach();
}

std::unique_ptr<Job> PamHandle::NewJob(const Napi::CallbackInfo& info, Job::Kind kind) {
  auto job = std::make_unique<Job>();
  job->kind = kind;
  job->op_id = static_cast<uint32_t>(RequireInteger(info, 0, "opId", 1, 4294967295.0));
  return job;
}

// start(opId, service, user?, confDir?, locale?)
Napi::Value PamHandle::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto job = NewJob(info, Job::Kind::kStart);
  job->service = RequireString(info, 1, "service", kMaxServiceBytes);
  if (job->service.empty() || job->service == "." || job->service == ".." ||
      job->service.find('/') != std::string::npos) {
    ThrowTypeError(env, "service must be a plain service name (no '/', not empty)");
  }
  job->user = OptionalString(info, 2, "user", kMaxUserBytes);
  job->confdir = OptionalString(info, 3, "confDir", kMaxPathBytes);
  if (job->confdir) {
    if (job->confdir->empty() || (*job->confdir)[0] != '/') {
      ThrowTypeError(env, "confDir must be an absolute path");
    }
    if (!HaveStartConfdir()) {
      ThrowCodeError(env, "ERR_PAM_NO_CONFDIR",
                     "this libpam has no pam_start_confdir (Linux-PAM 1.4 or later is needed "
                     "for confDir)");
    }
  }
  job->locale = OptionalString(info, 4, "locale", 64);
  if (job->locale && !IsValidLocaleName(*job->locale)) {
    ThrowTypeError(env, "locale must be a locale name such as de_DE.UTF-8");
  }
  tx_->Submit(env, std::move(job));
  return env.Undefined();
}

// run(opId, operationCode, flags): operationCode from operationCodes
Napi::Value PamHandle::Run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint32_t op_id = static_cast<uint32_t>(RequireInteger(info, 0, "opId", 1, 4294967295.0));
  constexpr size_t kOpCount = sizeof(kOps) / sizeof(kOps[0]);
  const OpSpec* spec = &kOps[RequireInteger(info, 1, "operationCode", 0, kOpCount - 1)];
  const int64_t flags = RequireInteger(info, 2, "flags", 0, 2147483647);
  if ((flags & ~static_cast<int64_t>(spec->allowed_flags)) != 0) {
    ThrowRangeError(env, "flags " + std::to_string(flags) + " are not valid for " + spec->name);
  }
  auto job = std::make_unique<Job>();
  job->kind = spec->kind;
  job->op_id = op_id;
  job->arg = static_cast<int>(flags);
  tx_->Submit(env, std::move(job));
  return env.Undefined();
}

// getItem(opId, itemType)
Napi::Value PamHandle::GetItem(const Napi::CallbackInfo& info) {
  auto job = NewJob(info, Job::Kind::kGetItem);
  job->arg = static_cast<int>(RequireInteger(info, 1, "item", 0, 1000));
  if (!IsReadableItem(job->arg)) ThrowRangeError(info.Env(), "item type not supported");
  tx_->Submit(info.Env(), std::move(job));
  return info.Env().Undefined();
}

// setItem(opId, itemType, value)
Napi::Value PamHandle::SetItem(const Napi::CallbackInfo& info) {
  auto job = NewJob(info, Job::Kind::kSetItem);
  job->arg = static_cast<int>(RequireInteger(info, 1, "item", 0, 1000));
  if (!IsReadableItem(job->arg)) ThrowRangeError(info.Env(), "item type not supported");
  job->text = RequireString(info, 2, "item value", kMaxItemBytes);
  tx_->Submit(info.Env(), std::move(job));
  return info.Env().Undefined();
}

// setXauthData(opId, name, data)
Napi::Value PamHandle::SetXauthData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto job = NewJob(info, Job::Kind::kSetXauthData);
  job->text = RequireString(info, 1, "xauth name", kMaxItemBytes);
  if (!info[2].IsTypedArray() ||
      info[2].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowTypeError(env, "xauth data must be a Uint8Array");
  }
  auto data = info[2].As<Napi::Uint8Array>();
  if (data.ByteLength() > kMaxXauthBytes) ThrowRangeError(env, "xauth data is too long");
  job->bytes = SecureBuffer(reinterpret_cast<const char*>(data.Data()), data.ByteLength());
  tx_->Submit(env, std::move(job));
  return env.Undefined();
}

// getenv(opId, name)
Napi::Value PamHandle::Getenv(const Napi::CallbackInfo& info) {
  auto job = NewJob(info, Job::Kind::kGetenv);
  job->text = RequireString(info, 1, "name", kMaxEnvBytes);
  if (job->text.empty() || job->text.find('=') != std::string::npos) {
    ThrowTypeError(info.Env(), "name must be a non-empty variable name without '='");
  }
  tx_->Submit(info.Env(), std::move(job));
  return info.Env().Undefined();
}

// putenv(opId, "NAME=value" | "NAME")
Napi::Value PamHandle::Putenv(const Napi::CallbackInfo& info) {
  auto job = NewJob(info, Job::Kind::kPutenv);
  job->text = RequireString(info, 1, "nameValue", kMaxEnvBytes);
  if (job->text.empty() || job->text[0] == '=') {
    ThrowTypeError(info.Env(), "nameValue must be 'NAME=value' or 'NAME' with a non-empty NAME");
  }
  tx_->Submit(info.Env(), std::move(job));
  return info.Env().Undefined();
}

// getenvlist(opId)
Napi::Value PamHandle::Getenvlist(const Napi::CallbackInfo& info) {
  tx_->Submit(info.Env(), NewJob(info, Job::Kind::kGetenvlist));
  return info.Env().Undefined();
}

// end(opId, status)
Napi::Value PamHandle::End(const Napi::CallbackInfo& info) {
  auto job = NewJob(info, Job::Kind::kEnd);
  job->arg = static_cast<int>(RequireInteger(info, 1, "status", 0, 2147483647));
  tx_->Submit(info.Env(), std::move(job));
  return info.Env().Undefined();
}

// respond(conversationId, answers): throws (and fails the conversation) on bad answers
Napi::Value PamHandle::Respond(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint64_t id =
      static_cast<uint64_t>(RequireInteger(info, 0, "conversationId", 1, 9007199254740991.0));
  auto styles = tx_->PendingStyles(id);
  if (!styles) {
    ThrowCodeError(env, "ERR_PAM_CONVERSATION_CLOSED",
                   "the conversation is no longer waiting for answers");
  }
  try {
    if (!info[1].IsArray()) ThrowTypeError(env, "answers must be an array");
    auto array = info[1].As<Napi::Array>();
    if (array.Length() != styles->size()) {
      ThrowRangeError(env, "expected " + std::to_string(styles->size()) +
                               " answers (one per message), got " +
                               std::to_string(array.Length()));
    }
    std::vector<Answer> answers;
    answers.reserve(styles->size());
    for (uint32_t i = 0; i < array.Length(); ++i) {
      answers.push_back(ConvertAnswer(env, array.Get(i), (*styles)[i], i));
    }
    if (!tx_->Deliver(id, std::move(answers))) {
      ThrowCodeError(env, "ERR_PAM_CONVERSATION_CLOSED",
                     "the conversation is no longer waiting for answers");
    }
  } catch (const Napi::Error& error) {
    // The module gets PAM_CONV_ERR; the reason (never the value) goes with the call.
    tx_->FailConversation(id, "the answers were refused: " + error.Message());
    throw;
  }
  return env.Undefined();
}

// failConversation(conversationId, reason)
Napi::Value PamHandle::FailConversation(const Napi::CallbackInfo& info) {
  const uint64_t id =
      static_cast<uint64_t>(RequireInteger(info, 0, "conversationId", 1, 9007199254740991.0));
  const std::string reason = RequireString(info, 1, "reason", 1024);
  tx_->FailConversation(id, reason);
  return info.Env().Undefined();
}

Napi::Value PamHandle::Abort(const Napi::CallbackInfo& info) {
  tx_->AbortFromJs(info.Env());
  return info.Env().Undefined();
}

}  // namespace gatehouse
