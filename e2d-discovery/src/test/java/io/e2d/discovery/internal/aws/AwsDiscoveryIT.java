package io.e2d.discovery.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.FakeHttpServer.Request;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.PeerDiscoveries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real AWS SDK v2 clients (IMDS, EC2, Auto Scaling) against {@link AwsFake} on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AwsDiscoveryIT {
    private final AwsFake aws = new AwsFake();

    @AfterEach
    void close() {
        aws.close();
    }

    private DiscoveryOptions options() {
        return DiscoveryOptions.builder()
                .awsEndpoint(aws.server().uri())
                .imdsEndpoint(aws.server().uri())
                .awsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    private List<PeerAddress> discover(String spec) {
        return PeerDiscoveries.forSpec(spec, options()).discover();
    }

    private List<Request> apiCalls(String action) {
        List<Request> out = new ArrayList<>();
        for (Request r : aws.server().requests()) {
            if (r.method().equals("POST") && action.equals(r.form().get("Action"))) {
                out.add(r);
            }
        }
        return out;
    }

    private void tagged(String id, String ip, String... keyValues) {
        aws.instance(id, ip);
        for (int i = 0; i < keyValues.length; i += 2) {
            aws.tags.add(new AwsFake.Tag(id, "instance", keyValues[i], keyValues[i + 1]));
        }
    }

    @Test
    void ec2TagsFindsEveryInstanceWithAllTagsExceptSelfAndNonRoutable() {
        tagged(aws.selfId, "10.0.0.10", "role", "etcd", "env", "prod");
        tagged("i-0aaa", "10.0.0.11", "role", "etcd", "env", "prod", "Name", "etcd-a");
        tagged("i-0bbb", "10.0.0.12", "role", "etcd", "env", "prod");
        tagged("i-0ccc", "10.0.0.13", "role", "etcd", "env", "dev"); // wrong env
        tagged("i-0ddd", "127.0.0.1", "role", "etcd", "env", "prod"); // loopback: dropped
        tagged("i-0eee", null, "role", "etcd", "env", "prod"); // no private IP (terminated)
        aws.tags.add(new AwsFake.Tag("vol-0fff", "volume", "role", "etcd"));
        aws.tags.add(new AwsFake.Tag("vol-0fff", "volume", "env", "prod"));

        List<PeerAddress> peers = discover("ec2-tags:role=etcd,env=prod");

        assertThat(peers).containsExactly(new PeerAddress("10.0.0.11", 7980), new PeerAddress("10.0.0.12", 7980));
        Request tags = apiCalls("DescribeTags").get(0);
        assertThat(tags.form())
                .containsEntry("Filter.1.Name", "tag:role")
                .containsEntry("Filter.1.Value.1", "etcd")
                .containsEntry("Filter.2.Name", "tag:env")
                .containsEntry("Filter.2.Value.1", "prod")
                .containsEntry("Filter.3.Name", "resource-type")
                .containsEntry("Filter.3.Value.1", "instance");
        // Every instance id asked once, self excluded, although DescribeTags listed each one several times.
        List<String> asked = new ArrayList<>();
        for (Request r : apiCalls("DescribeInstances")) {
            r.form().forEach((k, v) -> {
                if (k.startsWith("InstanceId.")) {
                    asked.add(v);
                }
            });
        }
        assertThat(asked).containsExactlyInAnyOrder("i-0aaa", "i-0bbb", "i-0ddd", "i-0eee");
    }

    @Test
    void imdsV2TokenIsUsedAndTheRegionComesFromTheIdentityDocument() {
        aws.region = "ap-southeast-2";
        tagged("i-0aaa", "10.0.0.11", "role", "etcd");

        discover("ec2-tags:role=etcd");

        List<Request> requests = aws.server().requests();
        assertThat(requests.get(0).method()).isEqualTo("PUT");
        assertThat(requests.get(0).path()).isEqualTo("/latest/api/token");
        Request document = requests.get(1);
        assertThat(document.path()).isEqualTo("/latest/dynamic/instance-identity/document");
        assertThat(document.header("x-aws-ec2-metadata-token")).isEqualTo(AwsFake.TOKEN);
        assertThat(apiCalls("DescribeTags").get(0).header("Authorization"))
                .contains("/ap-southeast-2/ec2/aws4_request");
    }

    @Test
    void aGivenRegionWins() {
        tagged("i-0aaa", "10.0.0.11", "role", "etcd");

        PeerDiscoveries.forSpec(
                        "ec2-tags:role=etcd",
                        options().toBuilder().awsRegion("us-west-2").build())
                .discover();

        assertThat(apiCalls("DescribeTags").get(0).header("Authorization")).contains("/us-west-2/ec2/aws4_request");
    }

    @Test
    void ec2TagsFollowsEveryPage() {
        aws.pageSize = 2;
        for (int i = 1; i <= 7; i++) {
            tagged("i-0" + i, "10.0.1." + i, "role", "etcd");
        }

        List<PeerAddress> peers = discover("ec2-tags:role=etcd");

        assertThat(peers).hasSize(7).contains(new PeerAddress("10.0.1.7", 7980));
        assertThat(apiCalls("DescribeTags")).hasSize(4);
        assertThat(apiCalls("DescribeTags").get(1).form()).containsEntry("NextToken", "page-2");
    }

    @Test
    void ec2TagsWithNoMatchGivesNoPeersAndNoInstanceLookup() {
        tagged(aws.selfId, "10.0.0.10", "role", "etcd");

        assertThat(discover("ec2-tags:role=etcd")).isEmpty();
        assertThat(apiCalls("DescribeInstances")).isEmpty();
    }

    @Test
    void ec2ApiErrorIsReportedWithItsCode() {
        aws.errors.put(
                "DescribeTags",
                new AwsFake.ApiError(
                        403, "UnauthorizedOperation", "You are not authorized to perform this operation."));

        assertThatThrownBy(() -> discover("ec2-tags:role=etcd"))
                .isInstanceOfSatisfying(DiscoveryApiException.class, e -> {
                    assertThat(e.method()).isEqualTo("ec2-tags");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.errorCode()).contains("UnauthorizedOperation");
                })
                .hasMessageContaining("ec2:DescribeTags failed with HTTP 403 UnauthorizedOperation")
                .hasMessageContaining("permissions");
    }

    @Test
    void imdsFailureIsReported() {
        aws.selfId = "";

        assertThatThrownBy(() -> discover("ec2-tags:role=etcd"))
                .isInstanceOf(DiscoveryApiException.class)
                .hasMessageContaining("instanceId and region");
    }

    @Test
    void ec2TagsNeedsPairs() {
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("ec2-tags", options()))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("at least one key=value pair");
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("ec2-tags:role", options()))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("'role'");
    }

    @Test
    void autoScalingGroupListsEveryPageOfItsGroupExceptSelf() {
        aws.pageSize = 2;
        aws.groups.put("other-asg", List.of("i-0zzz"));
        List<String> members = new ArrayList<>(List.of(aws.selfId));
        aws.instance(aws.selfId, "10.0.0.10");
        for (int i = 1; i <= 4; i++) {
            members.add("i-0" + i);
            aws.instance("i-0" + i, "10.0.2." + i);
        }
        aws.instance("i-0zzz", "10.9.9.9");
        aws.groups.put("etcd-asg", members);

        List<PeerAddress> peers = discover("aws-autoscaling-group");

        assertThat(peers)
                .containsExactly(
                        new PeerAddress("10.0.2.1", 7980),
                        new PeerAddress("10.0.2.2", 7980),
                        new PeerAddress("10.0.2.3", 7980),
                        new PeerAddress("10.0.2.4", 7980));
        assertThat(apiCalls("DescribeAutoScalingInstances").get(0).form())
                .containsEntry("InstanceIds.member.1", aws.selfId);
        assertThat(apiCalls("DescribeAutoScalingGroups")).hasSize(3);
        assertThat(apiCalls("DescribeAutoScalingGroups").get(0).form())
                .containsEntry("AutoScalingGroupNames.member.1", "etcd-asg");
        assertThat(apiCalls("DescribeInstances")).hasSize(2); // 4 reservations, 2 per page
    }

    @Test
    void autoScalingGroupOfOneGivesNoPeers() {
        aws.instance(aws.selfId, "10.0.0.10");
        aws.groups.put("etcd-asg", List.of(aws.selfId));

        assertThat(discover("aws-autoscaling-group")).isEmpty();
    }

    @Test
    void instanceOutsideAnyGroupIsAClearError() {
        assertThatThrownBy(() -> discover("aws-autoscaling-group"))
                .isInstanceOf(DiscoveryApiException.class)
                .hasMessageContaining("is not in an Auto Scaling group");
    }

    @Test
    void autoScalingApiErrorIsReported() {
        aws.errors.put(
                "DescribeAutoScalingInstances",
                new AwsFake.ApiError(
                        403, "AccessDenied", "User is not authorized to perform DescribeAutoScalingInstances"));

        assertThatThrownBy(() -> discover("aws-autoscaling-group"))
                .isInstanceOfSatisfying(DiscoveryApiException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.errorCode()).contains("AccessDenied");
                })
                .hasMessageContaining("autoscaling:DescribeAutoScalingInstances");
    }
}
