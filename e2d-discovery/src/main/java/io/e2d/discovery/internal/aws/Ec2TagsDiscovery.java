package io.e2d.discovery.internal.aws;

import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.internal.Addresses;
import io.e2d.discovery.internal.BaseDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeTagsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagDescription;

/**
 * {@code ec2-tags:k=v[,k=v]}: instances carrying every tag (DescribeTags with one {@code tag:k} filter per
 * pair, all pages, instances only), de-duplicated, this instance excluded, then their private IPs.
 */
public final class Ec2TagsDiscovery extends BaseDiscovery {
    public static final String METHOD = "ec2-tags";

    private final List<Map.Entry<String, String>> tags;

    public Ec2TagsDiscovery(DiscoverySpec spec, DiscoveryOptions options) {
        super(spec, options);
        this.tags = spec.pairs();
    }

    @Override
    public List<PeerAddress> discover() {
        List<Filter> filters = new ArrayList<>();
        for (Map.Entry<String, String> tag : tags) {
            filters.add(Filter.builder()
                    .name("tag:" + tag.getKey())
                    .values(tag.getValue())
                    .build());
        }
        filters.add(Filter.builder()
                .name("resource-type")
                .values(ResourceType.INSTANCE.toString())
                .build());
        DescribeTagsRequest request =
                DescribeTagsRequest.builder().filters(filters).build();
        try (AwsSession aws = new AwsSession(METHOD, options);
                Ec2Client ec2 = aws.ec2()) {
            List<String> ids = aws.call("ec2:DescribeTags", () -> {
                List<String> out = new ArrayList<>();
                for (TagDescription t : ec2.describeTagsPaginator(request).tags()) {
                    // The filter already asks for instances; the check guards against other resources.
                    if (t.resourceType() == ResourceType.INSTANCE) {
                        out.add(t.resourceId());
                    }
                }
                return out;
            });
            List<String> ips =
                    aws.privateIps(ec2, AwsSession.othersThan(aws.identity().instanceId(), ids));
            return Addresses.peers(METHOD, ips, options.defaultPort());
        }
    }
}
