package io.e2d.discovery.internal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.MissingCredentialsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * One discovery run against AWS: an HTTP client, the instance identity read through IMDSv2 (token
 * flow), credentials resolved up front, and EC2 / Auto Scaling clients in the identity's region (or the
 * configured one). Closing releases everything.
 */
final class AwsSession implements AutoCloseable {
    /** DescribeInstances accepts many ids; batches keep each request small. */
    private static final int INSTANCE_ID_BATCH = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final SdkHttpClient http;
    private final InstanceIdentity identity;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final ClientOverrideConfiguration overrides;
    private final DiscoveryOptions options;

    AwsSession(String method, DiscoveryOptions options) {
        this.method = method;
        this.options = options;
        this.http = ApacheHttpClient.builder()
                .connectionTimeout(options.timeout())
                .socketTimeout(options.timeout())
                .build();
        try {
            this.identity = readIdentity();
            this.region = Region.of(options.awsRegion().orElse(identity.region()));
            this.credentials = resolveCredentials();
            this.overrides = ClientOverrideConfiguration.builder()
                    .apiCallAttemptTimeout(options.timeout())
                    .build();
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    InstanceIdentity identity() {
        return identity;
    }

    Region region() {
        return region;
    }

    Ec2Client ec2() {
        var b = Ec2Client.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides);
        options.awsEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    AutoScalingClient autoScaling() {
        var b = AutoScalingClient.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides);
        options.awsEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /** Private IPs of the instances, in the order EC2 returns them; instances without one are skipped. */
    List<String> privateIps(Ec2Client ec2, Collection<String> instanceIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(instanceIds));
        List<String> ips = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += INSTANCE_ID_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + INSTANCE_ID_BATCH));
            DescribeInstancesRequest request =
                    DescribeInstancesRequest.builder().instanceIds(batch).build();
            call("ec2:DescribeInstances", () -> {
                for (Reservation r : ec2.describeInstancesPaginator(request).reservations()) {
                    for (Instance i : r.instances()) {
                        if (i.privateIpAddress() != null) {
                            ips.add(i.privateIpAddress());
                        }
                    }
                }
                return ips;
            });
        }
        return ips;
    }

    /** Runs an AWS call and turns SDK errors into {@link DiscoveryApiException}. */
    <T> T call(String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null
                    ? e.getMessage()
                    : e.awsErrorDetails().errorMessage();
            throw new DiscoveryApiException(
                    method,
                    e.statusCode(),
                    code,
                    method + ": " + action + " failed with HTTP " + e.statusCode() + " " + code + ": " + message
                            + "; check the instance role's permissions and the region (" + region + ")",
                    e);
        } catch (SdkException e) {
            throw new DiscoveryApiException(method, 0, null, method + ": " + action + " failed: " + e.getMessage(), e);
        }
    }

    private InstanceIdentity readIdentity() {
        var b = Ec2MetadataClient.builder().httpClient(http);
        options.imdsEndpoint().ifPresent(b::endpoint);
        String document;
        try (Ec2MetadataClient imds = b.build()) {
            document = imds.get("/latest/dynamic/instance-identity/document").asString();
        } catch (SdkException e) {
            throw new DiscoveryApiException(
                    method,
                    0,
                    null,
                    method + ": cannot read the instance identity document from the EC2 metadata service ("
                            + e.getMessage() + "); run on EC2 with IMDSv2 reachable (hop limit >= 2 in containers)",
                    e);
        }
        try {
            JsonNode doc = JSON.readTree(document);
            String instanceId = doc.path("instanceId").asText("");
            String region = doc.path("region").asText("");
            if (instanceId.isEmpty() || region.isEmpty()) {
                throw new DiscoveryApiException(
                        method,
                        200,
                        null,
                        method + ": the instance identity document must have instanceId and region, got " + document,
                        null);
            }
            return new InstanceIdentity(instanceId, region);
        } catch (IOException e) {
            throw new DiscoveryApiException(
                    method, 200, null, method + ": the instance identity document is not JSON: " + e.getMessage(), e);
        }
    }

    private AwsCredentialsProvider resolveCredentials() {
        AwsCredentialsProvider provider;
        if (options.awsAccessKey().isPresent()) {
            provider = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    options.awsAccessKey().get(), options.awsSecretKey().orElseThrow()));
        } else {
            provider = DefaultCredentialsProvider.builder().build();
        }
        try {
            provider.resolveCredentials();
        } catch (SdkClientException e) {
            throw new MissingCredentialsException(
                    method + ": no AWS credentials found (" + e.getMessage() + "); attach an instance role,"
                            + " set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --aws-access-key and --aws-secret-key",
                    e);
        }
        return provider;
    }

    /** Drops {@code self} and keeps the first occurrence of each id. */
    static Set<String> othersThan(String self, Collection<String> ids) {
        Set<String> out = new LinkedHashSet<>(ids);
        out.remove(self);
        return out;
    }

    @Override
    public void close() {
        if (credentials instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                http.close();
                throw new IllegalStateException("closing AWS credentials provider failed", e);
            }
        }
        http.close();
    }

    record InstanceIdentity(String instanceId, String region) {}
}
