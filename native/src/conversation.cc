#include "conversation.h"

#include <cstdlib>
#include <cstring>
#include <string.h>

namespace gatehouse {

const char* StyleName(int style) {
  switch (style) {
    case PAM_PROMPT_ECHO_OFF:
      return "echo-off";
    case PAM_PROMPT_ECHO_ON:
      return "echo-on";
    case PAM_ERROR_MSG:
      return "error";
    case PAM_TEXT_INFO:
      return "info";
#ifdef PAM_RADIO_TYPE
    case PAM_RADIO_TYPE:
      return "radio";
#endif
#ifdef PAM_BINARY_PROMPT
    case PAM_BINARY_PROMPT:
      return "binary";
#endif
    default:
      return nullptr;
  }
}

bool StyleWantsAnswer(int style) {
  return style != PAM_ERROR_MSG && style != PAM_TEXT_INFO;
}

namespace {

// A Linux-PAM binary prompt starts with its own length (u32, network byte order,
// including the 5-byte header) and a control byte.
bool CopyBinaryPrompt(const char* msg, std::vector<uint8_t>* out) {
  if (msg == nullptr) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(msg);
  const size_t length = (size_t{bytes[0]} << 24) | (size_t{bytes[1]} << 16) |
                        (size_t{bytes[2]} << 8) | size_t{bytes[3]};
  if (length < 5 || length > Transaction::kMaxBinaryPromptBytes) return false;
  out->assign(bytes, bytes + length);
  return true;
}

}  // namespace

bool CopyMessages(int num_msg, const struct pam_message** msg, std::vector<MessageCopy>* out,
                  bool* wants_answers, std::string* problem) {
  if (msg == nullptr || num_msg <= 0 || num_msg > PAM_MAX_NUM_MSG) {
    *problem = "the module sent " + std::to_string(num_msg) + " messages (allowed: 1 to " +
               std::to_string(PAM_MAX_NUM_MSG) + ")";
    return false;
  }
  *wants_answers = false;
  out->reserve(static_cast<size_t>(num_msg));
  for (int i = 0; i < num_msg; ++i) {
    // Linux-PAM passes an array of pointers (msg[i]), not a pointer to an array.
    const struct pam_message* m = msg[i];
    if (m == nullptr) {
      *problem = "message " + std::to_string(i) + " is NULL";
      return false;
    }
    MessageCopy copy;
    copy.style = m->msg_style;
    if (StyleName(m->msg_style) == nullptr) {
      *problem = "message " + std::to_string(i) + " has an unknown style (" +
                 std::to_string(m->msg_style) + ")";
      return false;
    }
#ifdef PAM_BINARY_PROMPT
    if (m->msg_style == PAM_BINARY_PROMPT) {
      if (!CopyBinaryPrompt(m->msg, &copy.data)) {
        *problem = "message " + std::to_string(i) + " is a malformed binary prompt";
        return false;
      }
    } else
#endif
        if (m->msg != nullptr) {
      copy.text.assign(m->msg, strnlen(m->msg, Transaction::kMaxMessageBytes));
    }
    if (StyleWantsAnswer(m->msg_style)) *wants_answers = true;
    out->push_back(std::move(copy));
  }
  return true;
}

int BuildResponses(std::vector<Answer>* answers, struct pam_response** resp) {
  const size_t n = answers->size();
  *resp = nullptr;
  auto* out = static_cast<struct pam_response*>(std::calloc(n, sizeof(struct pam_response)));
  if (out == nullptr) return PAM_BUF_ERR;
  for (size_t i = 0; i < n; ++i) {
    Answer& answer = (*answers)[i];
    if (answer.kind == Answer::Kind::kNone) continue;
    const size_t size = answer.bytes.size();
    // Text answers are NUL-terminated C strings; binary answers carry their own
    // length, the extra byte is harmless.
    char* copy = static_cast<char*>(std::malloc(size + 1));
    if (copy == nullptr) {
      for (size_t j = 0; j < i; ++j) {
        if (out[j].resp != nullptr) {
          explicit_bzero(out[j].resp, (*answers)[j].bytes.size());
          std::free(out[j].resp);
        }
      }
      std::free(out);
      answers->clear();
      return PAM_BUF_ERR;
    }
    if (size != 0) std::memcpy(copy, answer.bytes.data(), size);
    copy[size] = '\0';
    out[i].resp = copy;
    out[i].resp_retcode = 0;
  }
  answers->clear();  // wipes our copies; the module owns (and frees) `out`
  *resp = out;
  return PAM_SUCCESS;
}

}  // namespace gatehouse
