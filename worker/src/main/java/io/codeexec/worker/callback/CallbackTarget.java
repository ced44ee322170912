package io.codeexec.worker.callback;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Decides whether a callback URL may be called: unless the operator allows private targets, every
 * address its host resolves to must be public, so submitted code cannot make the worker call into
 * the operator's own network (SSRF). Checked at each delivery, not at submission (DNS can change).
 */
final class CallbackTarget {
    private CallbackTarget() {}

    /** Returns null when the URL may be called, else the reason it may not. */
    static String refusal(URI url, boolean allowPrivate) {
        if (allowPrivate) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return "cannot resolve " + url.getHost();
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return url.getHost() + " resolves to " + address.getHostAddress()
                        + ", a loopback, link-local or private address (set CALLBACK_ALLOW_PRIVATE=true to allow)";
            }
        }
        return null;
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
