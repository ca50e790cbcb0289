package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body as UTF-8 text, up to a bound. Zendesk's largest answer (a page of 100
 * tokens or clients) is tens of kilobytes; a proxy or a hostile host could send gigabytes, which
 * must neither fill the controller's memory nor reach a message. Past the bound the exchange is
 * cancelled and {@code send} fails with an {@link IOException} caused by {@link TooLarge}.
 */
final class CappedBody {
    /** The most bytes of a body that are read. */
    static final int MAX_BYTES = 1 << 20;

    private CappedBody() {
    }

    static HttpResponse.BodyHandler<String> handler(int maxBytes) {
        return info -> new Subscriber(maxBytes);
    }

    /** Whether {@code failure} (as {@code HttpClient.send} wraps it) is a body that outgrew the bound. */
    static boolean isTooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooLarge) {
                return true;
            }
        }
        return false;
    }

    /** The body passed the bound. */
    static final class TooLarge extends IOException {
        @Serial
        private static final long serialVersionUID = 1L;

        TooLarge(int maxBytes) {
            super("the answer is larger than " + maxBytes + " bytes");
        }
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<String> {
        private final int maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (buffer.remaining() > maxBytes - bytes.size()) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLarge(maxBytes));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
