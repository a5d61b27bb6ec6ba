package io.csvx.tenant;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/// How a portal looks: the operator's name, logo and accent colour, each null when not set. The
/// server has one ([TenantService#globalBranding]) and an application may have its own, whose
/// set fields win ([#over]).
///
/// @param accent `#rrggbb`, dark enough to be read on white and to carry white text (4.5:1)
/// @param logo   a `data:` URL of a PNG, JPEG, WebP or SVG image of at most [#MAX_LOGO] bytes
public record Branding(String name, String accent, String logo) {
    public static final Branding NONE = new Branding(null, null, null);
    /// The largest logo, in bytes of the image.
    public static final int MAX_LOGO = 128 * 1024;
    public static final int MAX_NAME = 100;
    /// The least contrast text needs against its background (WCAG 2 AA, normal text).
    public static final double MIN_CONTRAST = 4.5;
    /// The image types a logo may be; an SVG shown by `<img>` runs no script.
    public static final List<String> LOGO_TYPES = List.of("image/png", "image/jpeg", "image/webp", "image/svg+xml");
    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    public Branding {
        name = name == null || name.isBlank() ? null : name.strip();
        accent = accent == null || accent.isBlank() ? null : accent.strip().toLowerCase(Locale.ROOT);
        logo = logo == null || logo.isBlank() ? null : logo;
    }

    /// This branding where it is set, `fallback` where not.
    public Branding over(Branding fallback) {
        return new Branding(name != null ? name : fallback.name, accent != null ? accent : fallback.accent,
                logo != null ? logo : fallback.logo);
    }

    public boolean isEmpty() {
        return name == null && accent == null && logo == null;
    }

    /// What is wrong with it, in words for the person who set it; empty when it may be kept.
    public Optional<String> problem() {
        if (name != null && name.length() > MAX_NAME) {
            return Optional.of("The name is at most " + MAX_NAME + " characters.");
        }
        if (accent != null) {
            if (!HEX.matcher(accent).matches()) {
                return Optional.of("The accent is a colour written #rrggbb, e.g. #0b57d0.");
            }
            double onWhite = contrast(accent, "#ffffff");
            if (onWhite < MIN_CONTRAST) {
                return Optional.of(String.format(Locale.ROOT, "The accent %s has a contrast of %.2f:1 with white; links"
                        + " and buttons need at least %.1f:1, so choose a darker shade.", accent, onWhite, MIN_CONTRAST));
            }
        }
        if (logo != null) {
            int comma = logo.indexOf(',');
            String head = comma < 0 ? "" : logo.substring(0, comma);
            if (!head.startsWith("data:") || !head.endsWith(";base64")
                    || !LOGO_TYPES.contains(head.substring(5, head.length() - 7).toLowerCase(Locale.ROOT))) {
                return Optional.of("The logo is a PNG, JPEG, WebP or SVG image.");
            }
            try {
                if (Base64.getDecoder().decode(logo.substring(comma + 1)).length > MAX_LOGO) {
                    return Optional.of("The logo is at most " + MAX_LOGO / 1024 + " KiB.");
                }
            } catch (IllegalArgumentException e) {
                return Optional.of("The logo is not a readable image.");
            }
        }
        return Optional.empty();
    }

    /// The WCAG 2 contrast ratio of two `#rrggbb` colours, from 1 (none) to 21 (black on white).
    public static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    /// The relative luminance of an `#rrggbb` colour (WCAG 2).
    static double luminance(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return 0.2126 * channel(rgb >> 16 & 0xff) + 0.7152 * channel(rgb >> 8 & 0xff) + 0.0722 * channel(rgb & 0xff);
    }

    private static double channel(int value) {
        double c = value / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
