package io.hearth.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.api.RestApi;
import io.hearth.server.aws.AwsJson;
import io.hearth.server.aws.AwsJsonEndpoint;
import io.hearth.server.aws.AwsService;
import io.hearth.server.config.HearthConfig;
import io.hearth.server.storage.S3RequestHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * What Hearth's HTTP port serves, as the features register it: AWS JSON services (EMR, Glue), the
 * S3 API and the REST API. {@link #servlet} puts them behind the one servlet.
 */
public final class Routes {
    private final ObjectMapper awsJson = AwsJson.newMapper();
    private final List<AwsService> awsServices = new ArrayList<>();
    private S3RequestHandler s3;
    private RestApi rest;

    /** The mapper AWS JSON services read their input with; the endpoint writes their output with it too. */
    public ObjectMapper awsJsonMapper() {
        return awsJson;
    }

    public void addAwsService(AwsService service) {
        awsServices.add(requireNonNull(service, "service is null"));
    }

    public void setS3(S3RequestHandler handler) {
        if (s3 != null) {
            throw new IllegalStateException("The S3 API is registered already");
        }
        s3 = requireNonNull(handler, "handler is null");
    }

    public void setRestApi(RestApi api) {
        if (rest != null) {
            throw new IllegalStateException("The REST API is registered already");
        }
        rest = requireNonNull(api, "api is null");
    }

    /** The servlet for everything registered; the S3 and REST APIs must be. */
    HearthServlet servlet(HearthConfig config) {
        if (s3 == null || rest == null) {
            throw new IllegalStateException("The S3 and REST APIs must be registered before the HTTP port opens");
        }
        AwsJsonEndpoint aws = new AwsJsonEndpoint(awsJson, awsServices, config.http().maxRequestBytes());
        return new HearthServlet(aws, s3, rest, CrossOriginPolicy.of(config));
    }
}
