package io.csvx.message;

import java.time.Instant;

/// Where one (message, endpoint) delivery stands.
///
/// @param status Svix MessageStatus: 0 success, 1 pending, 2 fail, 3 sending
public record DeliveryState(String msgId, String endpointId, int status, int attempts, Instant nextAttempt) {
    public static final int SUCCESS = 0;
    public static final int PENDING = 1;
    public static final int FAIL = 2;
    public static final int SENDING = 3;

    public static String text(int status) {
        return switch (status) {
            case SUCCESS -> "success";
            case PENDING -> "pending";
            case FAIL -> "fail";
            default -> "sending";
        };
    }
}
