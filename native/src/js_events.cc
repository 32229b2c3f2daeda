#include "js_events.h"

#include "conversation.h"

namespace gatehouse {

namespace {

Napi::String ToJsString(Napi::Env env, const char* data, size_t size) {
  // napi_create_string_utf8 turns invalid UTF-8 into U+FFFD instead of failing.
  return Napi::String::New(env, data != nullptr ? data : "", size);
}

Napi::Value ValueToJs(Napi::Env env, const JobResult& r) {
  if (r.kind == Job::Kind::kGetenvlist && r.status == PAM_SUCCESS) {
    Napi::Array list = Napi::Array::New(env, r.env.size());
    for (size_t i = 0; i < r.env.size(); ++i) {
      list.Set(static_cast<uint32_t>(i), ToJsString(env, r.env[i].data(), r.env[i].size()));
    }
    return list;
  }
  if (r.has_value) return ToJsString(env, r.value.data(), r.value.size());
  return env.Undefined();
}

Napi::Value DetailsToJs(Napi::Env env, const JobResult& r) {
  if (r.status == PAM_SUCCESS && !r.delay_reported && r.conversation_error.empty()) {
    return env.Undefined();
  }
  Napi::Object details = Napi::Object::New(env);
  if (r.status != PAM_SUCCESS) details.Set("statusText", r.status_text);
  if (r.delay_reported) details.Set("delayUsec", Napi::Number::New(env, r.delay_usec));
  if (!r.conversation_error.empty()) details.Set("conversationError", r.conversation_error);
  return details;
}

}  // namespace

void CallConversation(Napi::Env env, Napi::Function on_conversation, Napi::Object owner,
                      const Event& event) {
  Napi::Array batch = Napi::Array::New(env, event.messages.size() * 2);
  uint32_t at = 0;
  for (const MessageCopy& m : event.messages) {
    batch.Set(at++, Napi::Number::New(env, m.style));
    if (m.data.empty()) {
      batch.Set(at++, ToJsString(env, m.text.data(), m.text.size()));
    } else {
      batch.Set(at++, Napi::Buffer<uint8_t>::Copy(env, m.data.data(), m.data.size()));
    }
  }
  on_conversation.Call(
      owner, {Napi::Number::New(env, static_cast<double>(event.conversation_id)), batch});
}

void CallDone(Napi::Env env, Napi::Function on_done, Napi::Object owner, const JobResult& r) {
  on_done.Call(owner, {Napi::Number::New(env, r.op_id), Napi::Number::New(env, r.status),
                       ValueToJs(env, r), DetailsToJs(env, r)});
}

}  // namespace gatehouse
