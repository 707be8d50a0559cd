package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reply cache's bounds in entries and bytes, without the network. */
class ReplyCacheTest {

    private static RequestId id(int n) {
        return new RequestId("peer", new byte[] {(byte) n, (byte) (n >> 8)});
    }

    private static ReplyCache.Entry finished(ReplyCache cache, int n, int bytes) {
        ReplyCache.Entry entry = new ReplyCache.Entry();
        assertThat(cache.putIfAbsent(id(n), entry)).isNull();
        cache.complete(id(n), entry, new byte[bytes]);
        return entry;
    }

    /** {@code cache} after replies of {@code bytes} each have finished for requests 0 to 4, in order. */
    private static ReplyCache fiveFinished(ReplyCache cache, int bytes) {
        for (int i = 0; i < 5; i++) {
            finished(cache, i, bytes);
        }
        return cache;
    }

    @Test
    void theOldestFinishedRepliesGoFirstWhenEntriesOrBytesRunOver() {
        ReplyCache cache = fiveFinished(new ReplyCache(3, 1_000), 10);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(30);
        assertThat(cache.putIfAbsent(id(1), new ReplyCache.Entry())).as("forgotten: new again").isNull();

        ReplyCache bytes = fiveFinished(new ReplyCache(100, 1_000), 400);
        assertThat(bytes.size()).isEqualTo(2);
        assertThat(bytes.bytes()).isEqualTo(800);
        assertThat(bytes.putIfAbsent(id(4), new ReplyCache.Entry())).as("the newest is kept").isNotNull();
    }

    @Test
    void runningRequestsAreNeverForgotten() {
        ReplyCache cache = new ReplyCache(2, 1_000);
        ReplyCache.Entry running = new ReplyCache.Entry();
        cache.putIfAbsent(id(0), running);
        for (int i = 1; i < 10; i++) {
            finished(cache, i, 10);
        }
        assertThat(cache.putIfAbsent(id(0), new ReplyCache.Entry())).isSameAs(running);
        byte[] reply = new byte[5];
        cache.complete(id(0), running, reply);
        assertThat(running.reply).isCompletedWithValue(reply);
    }

    @Test
    void aReplyLargerThanTheByteBoundIsNotKeptAndEvictsNothing() {
        ReplyCache cache = new ReplyCache(10, 100);
        finished(cache, 1, 50);
        ReplyCache.Entry big = finished(cache, 2, 101);
        assertThat(big.reply).isDone();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(50);
        assertThat(cache.putIfAbsent(id(1), new ReplyCache.Entry())).isNotNull();
    }

    @Test
    void removeAndTighterLimitsGiveTheBytesBack() {
        ReplyCache cache = new ReplyCache(10, 1_000);
        finished(cache, 1, 100);
        finished(cache, 2, 200);
        cache.remove(id(1));
        assertThat(cache.bytes()).isEqualTo(200);
        cache.setLimits(10, 199);
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThatThrownBy(() -> cache.setLimits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheFirstRepeatOfARunningRequestWaitsAndEveryRepeatOfAFinishedOneIsAnswered() {
        ReplyCache cache = new ReplyCache(10, 1_000);
        ReplyCache.Entry entry = new ReplyCache.Entry();
        cache.putIfAbsent(id(1), entry);
        assertThat(cache.claimRepeat(entry)).isTrue();
        assertThat(cache.claimRepeat(entry)).isFalse();
        assertThat(cache.claimRepeat(entry)).isFalse();
        cache.complete(id(1), entry, new byte[1]);
        assertThat(cache.claimRepeat(entry)).isTrue();
        assertThat(cache.claimRepeat(entry)).isTrue();
    }
}
