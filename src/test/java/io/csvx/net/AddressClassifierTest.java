package io.csvx.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/// The classifier is tested on address values only: nothing here opens a connection.
class AddressClassifierTest {
    private final AddressClassifier strict = new AddressClassifier(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
            "ff02::1", "2001:db8::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1"})
    void refusesNonPublicAddresses(String literal) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(literal))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"})
    void acceptsPublicAddresses(String literal) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(literal))).isEmpty();
    }

    @Test
    void theWholeIpv4MappedRangeIsRefusedEvenForPublicAddresses() throws Exception {
        // ::ffff:0:0/96 kept as IPv6 (a resolver may hand it over so; a literal becomes IPv4)
        for (String v4 : List.of("127.0.0.1", "10.0.0.1", "8.8.8.8", "0.0.0.0", "255.255.255.255")) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, mapped, 12, 4);
            assertThat(strict.refusal(Inet6Address.getByAddress(null, mapped, -1))).as(v4)
                    .hasValueSatisfying(r -> assertThat(r).contains("IPv4-mapped"));
        }
    }

    @Test
    void allowedRangesOpenOnlyThemselves() throws Exception {
        AddressClassifier open = new AddressClassifier(List.of(Cidr.parse("127.0.0.0/8")));
        assertThat(open.refusal(InetAddress.getByName("127.0.0.2"))).isEmpty();
        assertThat(open.refusal(InetAddress.getByName("10.0.0.1"))).isPresent();
        assertThat(open.refusal(InetAddress.getByName("::1"))).isPresent();
    }

    @Test
    void reasonNamesTheRange() throws Exception {
        assertThat(strict.refusal(InetAddress.getByName("169.254.169.254")))
                .hasValueSatisfying(r -> assertThat(r).contains("link-local"));
    }

    @Test
    void legacyIpv4SpellingsMeanLoopback() {
        for (String spelling : List.of("2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1", "127.0.0.1.")) {
            assertThat(HostLiterals.parse(spelling)).as(spelling)
                    .hasValueSatisfying(a -> assertThat(a.getHostAddress()).isEqualTo("127.0.0.1"));
        }
        assertThat(HostLiterals.parse("[::1]")).hasValueSatisfying(a -> assertThat(a.isLoopbackAddress()).isTrue());
        assertThat(HostLiterals.parse("example.com")).isEmpty();
        assertThat(HostLiterals.parse("1.2.3.4.5")).isEmpty();
        assertThat(HostLiterals.parse("256.1.1.1")).isEmpty();
    }

    @Test
    void cidrParsingRejectsNonsense() {
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cidr.parse("10.0.0.0/8").toString()).isEqualTo("10.0.0.0/8");
    }
}
