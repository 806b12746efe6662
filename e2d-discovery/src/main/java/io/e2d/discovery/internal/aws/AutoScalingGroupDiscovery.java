package io.e2d.discovery.internal.aws;

import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.internal.Addresses;
import io.e2d.discovery.internal.BaseDiscovery;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingInstancesRequest;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code aws-autoscaling-group}: this instance's group (DescribeAutoScalingInstances), every instance of
 * it whatever its lifecycle state (DescribeAutoScalingGroups, all pages), then their private IPs
 * (DescribeInstances, batched). This instance is excluded.
 */
public final class AutoScalingGroupDiscovery extends BaseDiscovery {
    public static final String METHOD = "aws-autoscaling-group";

    public AutoScalingGroupDiscovery(DiscoverySpec spec, DiscoveryOptions options) {
        super(spec, options);
        if (!spec.argument().isEmpty()) {
            throw new InvalidDiscoverySpecException(
                    "--peer-discovery aws-autoscaling-group takes no argument, got '" + spec.argument() + "'");
        }
    }

    @Override
    public List<PeerAddress> discover() {
        try (AwsSession aws = new AwsSession(METHOD, options);
                AutoScalingClient asg = aws.autoScaling();
                Ec2Client ec2 = aws.ec2()) {
            String self = aws.identity().instanceId();
            List<AutoScalingInstanceDetails> mine =
                    aws.call("autoscaling:DescribeAutoScalingInstances", () -> asg.describeAutoScalingInstances(
                                    DescribeAutoScalingInstancesRequest.builder()
                                            .instanceIds(self)
                                            .build())
                            .autoScalingInstances());
            if (mine.isEmpty()) {
                throw new DiscoveryApiException(
                        METHOD,
                        200,
                        null,
                        METHOD + ": instance " + self + " is not in an Auto Scaling group; use ec2-tags:k=v or"
                                + " --bootstrap-addrs instead",
                        null);
            }
            String group = mine.get(0).autoScalingGroupName();
            List<String> ids = aws.call("autoscaling:DescribeAutoScalingGroups", () -> {
                List<String> out = new ArrayList<>();
                for (AutoScalingGroup g : asg.describeAutoScalingGroupsPaginator(
                                DescribeAutoScalingGroupsRequest.builder()
                                        .autoScalingGroupNames(group)
                                        .build())
                        .autoScalingGroups()) {
                    g.instances().forEach(i -> out.add(i.instanceId()));
                }
                return out;
            });
            List<String> ips = aws.privateIps(ec2, AwsSession.othersThan(self, ids));
            return Addresses.peers(METHOD, ips, options.defaultPort());
        }
    }
}
