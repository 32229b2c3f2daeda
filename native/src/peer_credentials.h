// peerCredentials(fd): who is at the other end of a connected Unix socket, as the
// kernel recorded it when the peer called connect() (SO_PEERCRED). Node has no
// API for it; the engine daemon (`gatehouse engine`) checks every client with it.
#pragma once

#include <napi.h>

namespace gatehouse {

// peerCredentials(fd: number) -> { pid, uid, gid }. Throws (with `code`
// 'ENOTSOCK', 'EBADF', ... or 'ERR_NOT_UNIX_SOCKET') when the fd is not a
// connected Unix stream socket.
Napi::Value PeerCredentials(const Napi::CallbackInfo& info);

}  // namespace gatehouse
