package io.hearth.server.emr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.server.ErrorCode;
import io.hearth.server.HearthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestMarkers {
    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 50L, 1_700_000_000_123L, Long.MAX_VALUE})
    void markerRoundTrips(long position) {
        assertThat(Markers.decode(Markers.encode(position), "Marker")).isEqualTo(position);
    }

    @Test
    void markerIsUrlSafeWithoutPadding() {
        assertThat(Markers.encode(Long.MAX_VALUE)).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void nullOrEmptyMarkerMeansTheFirstPage() {
        assertThat(Markers.decode(null, "Marker")).isNull();
        assertThat(Markers.decode("", "Marker")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "not a marker!", "j-2AXXXXXXGAPLF"})
    void foreignMarkerIsAnErrorNamingTheMember(String marker) {
        HearthException error = catchThrowableOfType(HearthException.class, () -> Markers.decode(marker, "Marker"));

        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(error).hasMessage("Marker '" + marker + "' is not valid: pass the value a previous response returned");
    }

    @Test
    void markerWithHearthPrefixButNoNumberIsRejected() {
        String marker = Base64.getUrlEncoder().encodeToString("hearth:next".getBytes(StandardCharsets.UTF_8));

        HearthException error = catchThrowableOfType(HearthException.class, () -> Markers.decode(marker, "NextToken"));

        assertThat(error).hasMessage("NextToken '" + marker + "' is not valid: pass the value a previous response returned");
    }
}
