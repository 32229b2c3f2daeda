{
  "targets": [
    {
      "target_name": "gatehouse_pam",
      "sources": [
        "src/addon.cc",
        "src/bridge.cc",
        "src/constants.cc",
        "src/conversation.cc",
        "src/handle.cc",
        "src/js_events.cc",
        "src/thread_priority.cc",
        "src/peer_credentials.cc",
        "src/message_locale.cc",
        "src/process_guard.cc",
        "src/secure_memory.cc",
        "src/transaction.cc",
        "src/worker_pool.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "generated"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        "_GNU_SOURCE"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2"],
      "ldflags": ["-Wl,-z,relro,-z,now"],
      "libraries": ["-lpam", "-ldl", "-lpthread"],
      "conditions": [
        ["OS!='linux'", { "sources!": ["src/addon.cc"] }]
      ]
    }
  ]
}
