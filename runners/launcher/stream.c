/*
 * Live output (payload flag FLAG_STREAM, docs/launcher-protocol.md): while a test runs, the bytes its
 * captures keep are also sent as chunk records, in the order the pipes were read.
 * 1. Bounded: only kept bytes are sent, so each stream sends at most outputBytes in all, and the final
 *    test record still carries them (a reader that ignores chunks loses nothing).
 * 2. Coalesced: consecutive bytes of one stream wait up to CHUNK_FLUSH_MS or CHUNK_MAX bytes, so a
 *    program writing a line at a time does not cost a record per write; bytes of the other stream
 *    flush the pending ones first (order kept).
 * 3. Never interleaved: the launcher is single-threaded and writes each record whole.
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <string.h>

void streamer_init(struct streamer *s, const char *nonce, int test) {
    s->nonce = nonce;
    s->test = test;
    s->fd = 0;
    s->len = 0;
    s->first_ms = 0;
}

void streamer_flush(struct streamer *s) {
    if (s->len > 0) emit_chunk(s->nonce, s->test, s->fd, s->buf, s->len);
    s->len = 0;
    s->fd = 0;
}

void streamer_add(struct streamer *s, int fd, const char *data, size_t len, long long now_ms) {
    if (s->fd != fd) streamer_flush(s);
    while (len > 0) {
        if (s->len == 0) {
            s->fd = fd;
            s->first_ms = now_ms;
        }
        size_t take = CHUNK_MAX - s->len < len ? CHUNK_MAX - s->len : len;
        memcpy(s->buf + s->len, data, take);
        s->len += take;
        data += take;
        len -= take;
        if (s->len == CHUNK_MAX) streamer_flush(s);
    }
}

void streamer_tick(struct streamer *s, long long now_ms) {
    if (s->len > 0 && now_ms - s->first_ms >= CHUNK_FLUSH_MS) streamer_flush(s);
}
