// Turns what the transaction thread reports into the objects native/index.ts reads.
#pragma once

#include <napi.h>

#include "transaction.h"

namespace gatehouse {

// { type: 'conversation', conversationId, messages: [{ style, text, data? }] }
Napi::Object ConversationToJs(Napi::Env env, const Event& event);
// { type: 'done', opId, status, statusText?, delayUsec?, conversationError?, value?, env? }
Napi::Object ResultToJs(Napi::Env env, const JobResult& result);

}  // namespace gatehouse
