package io.csvx.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class BrandingTest {
    @Test
    void contrastIsWcagsRatio() {
        assertThat(Branding.contrast("#000000", "#ffffff")).isCloseTo(21.0, within(0.001));
        assertThat(Branding.contrast("#ffffff", "#ffffff")).isCloseTo(1.0, within(0.001));
        // published reference values: #767676 on white is the lightest grey that passes 4.5:1
        assertThat(Branding.contrast("#767676", "#ffffff")).isCloseTo(4.54, within(0.01));
        assertThat(Branding.contrast("#777777", "#ffffff")).isLessThan(4.5);
    }

    @Test
    void anAccentTooLightForWhiteTextIsRefusedWithItsRatio() {
        assertThat(new Branding(null, "#0B57D0", null).problem()).isEmpty();
        assertThat(new Branding(null, "#0b57d0", null).accent()).isEqualTo("#0b57d0");
        assertThat(new Branding(null, "#ffcc00", null).problem()).hasValueSatisfying(p ->
                assertThat(p).startsWith("The accent #ffcc00 has a contrast of 1.").contains("at least 4.5:1"));
        assertThat(new Branding(null, "blue", null).problem()).contains("The accent is a colour written #rrggbb, e.g. #0b57d0.");
    }

    @Test
    void aLogoIsASmallImageAsADataUrl() {
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[100]);
        assertThat(new Branding(null, null, png).problem()).isEmpty();
        assertThat(new Branding(null, null, "data:image/svg+xml;base64,PHN2Zy8+").problem()).isEmpty();
        assertThat(new Branding(null, null, "data:text/html;base64,PGI+").problem())
                .contains("The logo is a PNG, JPEG, WebP or SVG image.");
        assertThat(new Branding(null, null, "https://example.invalid/logo.png").problem())
                .contains("The logo is a PNG, JPEG, WebP or SVG image.");
        String big = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[Branding.MAX_LOGO + 1]);
        assertThat(new Branding(null, null, big).problem()).contains("The logo is at most 128 KiB.");
        assertThat(new Branding(null, null, "data:image/png;base64,%%%").problem())
                .contains("The logo is not a readable image.");
    }

    @Test
    void anApplicationsOwnFieldsWinAndTheServersFillTheRest() {
        Branding global = new Branding("Ops Inc", "#0b57d0", "data:image/png;base64,AA==");
        assertThat(new Branding(null, "#146c2e", null).over(global))
                .isEqualTo(new Branding("Ops Inc", "#146c2e", "data:image/png;base64,AA=="));
        assertThat(Branding.NONE.over(Branding.NONE).isEmpty()).isTrue();
        assertThat(new Branding("  ", "", null)).isEqualTo(Branding.NONE);
    }
}
