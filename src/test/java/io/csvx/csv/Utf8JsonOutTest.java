package io.csvx.csv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/// The hand-written JSON string encoder against Jackson's parser: whatever goes in comes back.
class Utf8JsonOutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String roundTrip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Utf8JsonOut out = new Utf8JsonOut(b);
        out.string(s);
        out.flush();
        return JSON.readValue(b.toByteArray(), String.class);
    }

    @Test
    void escapesEverythingJsonRequires() throws IOException {
        for (String s : new String[] {"", "plain", "quote \" and \\ backslash", "\n\r\t\b\f", "\u0000\u0001\u001f\u007f",
                "é ü ß", "€ 中文", "😀 emoji", "\uD83D lone high", "lone low \uDE00", "<tag> & 'apos'"}) {
            assertThat(roundTrip(s)).isEqualTo(s);
        }
    }

    @Test
    void randomAndVeryLongStringsSurvive() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            int length = i == 0 ? 200_000 : random.nextInt(40);
            StringBuilder sb = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                int kind = random.nextInt(10);
                sb.append(switch (kind) {
                    case 0 -> (char) random.nextInt(0x20);
                    case 1 -> (char) (0x80 + random.nextInt(0x780));
                    case 2 -> (char) (0x800 + random.nextInt(0xD000));
                    case 3 -> "😀";
                    default -> (char) (0x20 + random.nextInt(0x5F));
                });
            }
            String s = sb.toString();
            assertThat(roundTrip(s)).isEqualTo(s);
        }
    }
}
