#include "js_events.h"

#include "conversation.h"

namespace gatehouse {

namespace {

Napi::String ToJsString(Napi::Env env, const char* data, size_t size) {
  // napi_create_string_utf8 turns invalid UTF-8 into U+FFFD instead of failing.
  return Napi::String::New(env, data != nullptr ? data : "", size);
}

}  // namespace

Napi::Object ConversationToJs(Napi::Env env, const Event& event) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("type", "conversation");
  out.Set("conversationId", Napi::Number::New(env, static_cast<double>(event.conversation_id)));
  Napi::Array messages = Napi::Array::New(env, event.messages.size());
  for (size_t i = 0; i < event.messages.size(); ++i) {
    const MessageCopy& m = event.messages[i];
    Napi::Object message = Napi::Object::New(env);
    message.Set("style", StyleName(m.style));
    message.Set("text", ToJsString(env, m.text.data(), m.text.size()));
    if (!m.data.empty()) {
      message.Set("data", Napi::Buffer<uint8_t>::Copy(env, m.data.data(), m.data.size()));
    }
    messages.Set(static_cast<uint32_t>(i), message);
  }
  out.Set("messages", messages);
  return out;
}

Napi::Object ResultToJs(Napi::Env env, const JobResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("type", "done");
  out.Set("opId", Napi::Number::New(env, r.op_id));
  out.Set("status", Napi::Number::New(env, r.status));
  if (r.status != PAM_SUCCESS) out.Set("statusText", r.status_text);
  if (r.delay_reported) out.Set("delayUsec", Napi::Number::New(env, r.delay_usec));
  if (!r.conversation_error.empty()) out.Set("conversationError", r.conversation_error);
  if (r.has_value) out.Set("value", ToJsString(env, r.value.data(), r.value.size()));
  if (r.kind == Job::Kind::kGetenvlist && r.status == PAM_SUCCESS) {
    Napi::Array list = Napi::Array::New(env, r.env.size());
    for (size_t i = 0; i < r.env.size(); ++i) {
      list.Set(static_cast<uint32_t>(i), ToJsString(env, r.env[i].data(), r.env[i].size()));
    }
    out.Set("env", list);
  }
  return out;
}

}  // namespace gatehouse
