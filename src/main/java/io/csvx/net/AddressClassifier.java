package io.csvx.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/// Decides whether CSV-X may connect to an address: the SSRF guard's single rule.
///
/// Everything that is not a public unicast address is refused unless an allowed range
/// (`--allow-targets`) contains it. Callers must connect to exactly the address that was classified.
public final class AddressClassifier {
    private record Blocked(Cidr range, String reason) {
    }

    private static final List<Blocked> BLOCKED = List.of(
            b("0.0.0.0/8", "unspecified"),
            b("10.0.0.0/8", "private"),
            b("100.64.0.0/10", "carrier-grade NAT"),
            b("127.0.0.0/8", "loopback"),
            b("169.254.0.0/16", "link-local"),
            b("172.16.0.0/12", "private"),
            b("192.0.0.0/24", "reserved"),
            b("192.0.2.0/24", "documentation"),
            b("192.88.99.0/24", "reserved"),
            b("192.168.0.0/16", "private"),
            b("198.18.0.0/15", "benchmarking"),
            b("198.51.100.0/24", "documentation"),
            b("203.0.113.0/24", "documentation"),
            b("224.0.0.0/4", "multicast"),
            b("240.0.0.0/4", "reserved"),
            b("::/128", "unspecified"),
            b("::1/128", "loopback"),
            b("::/96", "IPv4-compatible"),
            // ::ffff:0:0/96 (IPv4-mapped) is refused whole by isMapped: a range cannot hold it, since
            // InetAddress reads such literals as the IPv4 address they map
            b("64:ff9b::/96", "NAT64"),
            b("64:ff9b:1::/48", "NAT64"),
            b("100::/64", "discard"),
            b("2001::/23", "reserved"),
            b("2001:db8::/32", "documentation"),
            b("2002::/16", "6to4"),
            b("fc00::/7", "unique local"),
            b("fe80::/10", "link-local"),
            b("fec0::/10", "site-local"),
            b("ff00::/8", "multicast"));

    private final List<Cidr> allowed;

    public AddressClassifier(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /// Empty when the address may be used, else the reason it is refused.
    public Optional<String> refusal(InetAddress address) {
        for (Cidr range : allowed) {
            if (range.contains(address)) {
                return Optional.empty();
            }
        }
        if (address instanceof Inet6Address v6 && isMapped(v6)) {
            return Optional.of(address.getHostAddress() + " is IPv4-mapped");
        }
        for (Blocked blocked : BLOCKED) {
            if (blocked.range().contains(address)) {
                return Optional.of(address.getHostAddress() + " is " + blocked.reason() + " (" + blocked.range() + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean isMapped(Inet6Address v6) {
        byte[] a = v6.getAddress();
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    }

    private static Blocked b(String cidr, String reason) {
        return new Blocked(Cidr.parse(cidr), reason);
    }
}
