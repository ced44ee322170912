package io.codeexec.worker.callback;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a callback URL may be called: unless the operator allows private targets, every
 * address its host resolves to must be public, so submitted code cannot make the worker call into
 * the operator's own network (SSRF). Checked at each delivery, not at submission (DNS can change).
 * The name is resolved on another thread and waited for only until the delivery's deadline: a slow
 * resolver delays one delivery, never the caller beyond its deadline.
 */
final class CallbackTarget {
    private CallbackTarget() {}

    /**
     * Returns null when the URL may be called, else why it may never be (a permanent refusal).
     * Throws IOException when the name cannot be resolved now, or not before {@code deadlineNanos}: worth a retry.
     */
    static String refusal(URI url, boolean allowPrivate, long deadlineNanos, Executor resolver)
            throws IOException, InterruptedException {
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            return url + " is not an absolute http or https URL";
        }
        if (allowPrivate) {
            return null;
        }
        for (InetAddress address : resolve(url.getHost(), deadlineNanos, resolver)) {
            if (isPrivate(address)) {
                return url.getHost() + " resolves to " + address.getHostAddress()
                        + ", a loopback, link-local or private address (set CALLBACK_ALLOW_PRIVATE=true to allow)";
            }
        }
        return null;
    }

    private static InetAddress[] resolve(String host, long deadlineNanos, Executor resolver)
            throws IOException, InterruptedException {
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, resolver);
        try {
            return lookup.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new IOException("cannot resolve " + host + " before the delivery deadline");
        } catch (ExecutionException e) {
            throw new IOException("cannot resolve " + host + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            lookup.cancel(true);
            throw e;
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;  // fc00::/7 unique local
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128);  // 0/8, 100.64/10 (CGNAT)
    }
}
