package io.e2d.discovery.internal.aws;

import io.e2d.discovery.FakeHttpServer;
import io.e2d.discovery.FakeHttpServer.Request;
import io.e2d.discovery.FakeHttpServer.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local stand-in for IMDSv2, EC2 and Auto Scaling that speaks their real wire formats: the IMDSv2 token
 * handshake and JSON identity document, and the query APIs' form-encoded requests and XML responses,
 * including {@code NextToken} paging and error documents.
 */
final class AwsFake implements AutoCloseable {
    static final String TOKEN = "AQAEAFakeImdsV2Token==";
    private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    record Tag(String resourceId, String resourceType, String key, String value) {}

    record ApiError(int status, String code, String message) {}

    String selfId = "i-0self00000000000";
    String region = "eu-west-1";
    int pageSize = 1000;
    /** Instance id -> private IP (null: none). */
    final Map<String, String> instances = new LinkedHashMap<>();

    final List<Tag> tags = new ArrayList<>();
    /** Group name -> instance ids. */
    final Map<String, List<String>> groups = new LinkedHashMap<>();

    final Map<String, ApiError> errors = new ConcurrentHashMap<>();

    private final FakeHttpServer server = new FakeHttpServer(this::handle);

    FakeHttpServer server() {
        return server;
    }

    void instance(String id, String ip) {
        instances.put(id, ip);
    }

    private Response handle(Request r) {
        if (r.path().equals("/latest/api/token")) {
            if (!r.method().equals("PUT")
                    || r.header("x-aws-ec2-metadata-token-ttl-seconds").isEmpty()) {
                return Response.of(400, "text/plain", "");
            }
            return new Response(200, "text/plain", TOKEN, Map.of("x-aws-ec2-metadata-token-ttl-seconds", "21600"));
        }
        if (r.path().startsWith("/latest/")) {
            if (!TOKEN.equals(r.header("x-aws-ec2-metadata-token"))) {
                return Response.of(401, "text/plain", "");
            }
            if (r.path().equals("/latest/dynamic/instance-identity/document")) {
                return Response.of(200, "text/plain", identityDocument());
            }
            return Response.of(404, "text/html", "<html><body>404 - Not Found</body></html>");
        }
        Map<String, String> form = r.form();
        String action = form.getOrDefault("Action", "");
        ApiError error = errors.get(action);
        boolean autoScaling = action.contains("AutoScaling");
        if (error != null) {
            return autoScaling ? asgError(error) : ec2Error(error);
        }
        return switch (action) {
            case "DescribeTags" -> describeTags(form);
            case "DescribeInstances" -> describeInstances(form);
            case "DescribeAutoScalingInstances" -> describeAutoScalingInstances(form);
            case "DescribeAutoScalingGroups" -> describeAutoScalingGroups(form);
            default -> ec2Error(new ApiError(400, "InvalidAction", "The action " + action + " is not valid"));
        };
    }

    private String identityDocument() {
        return """
                {
                  "accountId" : "123456789012",
                  "architecture" : "x86_64",
                  "availabilityZone" : "%sa",
                  "billingProducts" : null,
                  "devpayProductCodes" : null,
                  "marketplaceProductCodes" : null,
                  "imageId" : "ami-0abcdef1234567890",
                  "instanceId" : "%s",
                  "instanceType" : "t3.small",
                  "kernelId" : null,
                  "pendingTime" : "2026-11-20T08:00:00Z",
                  "privateIp" : "10.0.0.10",
                  "ramdiskId" : null,
                  "region" : "%s",
                  "version" : "2017-09-30"
                }""".formatted(region, selfId, region);
    }

    private Response describeTags(Map<String, String> form) {
        Map<String, Set<String>> filters = filters(form);
        Set<String> matching = new LinkedHashSet<>();
        Map<String, Map<String, String>> tagsOf = new HashMap<>();
        Map<String, String> typeOf = new HashMap<>();
        for (Tag t : tags) {
            tagsOf.computeIfAbsent(t.resourceId(), k -> new HashMap<>()).put(t.key(), t.value());
            typeOf.put(t.resourceId(), t.resourceType());
        }
        for (Tag t : tags) {
            boolean ok = true;
            for (Map.Entry<String, Set<String>> f : filters.entrySet()) {
                if (f.getKey().startsWith("tag:")) {
                    String v = tagsOf.get(t.resourceId()).get(f.getKey().substring(4));
                    ok &= v != null && f.getValue().contains(v);
                } else if (f.getKey().equals("resource-type")) {
                    ok &= f.getValue().contains(typeOf.get(t.resourceId()));
                } else {
                    return ec2Error(new ApiError(400, "InvalidParameterValue", "unsupported filter " + f.getKey()));
                }
            }
            if (ok) {
                matching.add(t.resourceId());
            }
        }
        // Like EC2: one row per tag of each matching resource, so an instance shows up several times.
        List<String> items = new ArrayList<>();
        for (Tag t : tags) {
            if (matching.contains(t.resourceId())) {
                items.add("<item><resourceId>" + t.resourceId() + "</resourceId><resourceType>" + t.resourceType()
                        + "</resourceType><key>" + t.key() + "</key><value>" + t.value() + "</value></item>");
            }
        }
        Page page = page(items, form.get("NextToken"));
        return xml("<DescribeTagsResponse xmlns=\"" + EC2_NS + "\"><requestId>" + UUID.randomUUID()
                + "</requestId><tagSet>" + String.join("", page.items) + "</tagSet>"
                + page.nextTokenElement("nextToken")
                + "</DescribeTagsResponse>");
    }

    private Response describeInstances(Map<String, String> form) {
        List<String> ids = members(form, "InstanceId.");
        List<String> items = new ArrayList<>();
        for (String id : ids) {
            if (!instances.containsKey(id)) {
                return ec2Error(
                        new ApiError(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist"));
            }
            String ip = instances.get(id);
            items.add("<item><reservationId>r-" + id.substring(2) + "</reservationId><ownerId>123456789012</ownerId>"
                    + "<groupSet/><instancesSet><item><instanceId>" + id + "</instanceId>"
                    + "<imageId>ami-0abcdef1234567890</imageId><instanceState><code>16</code><name>running</name>"
                    + "</instanceState><instanceType>t3.small</instanceType>"
                    + (ip == null ? "" : "<privateIpAddress>" + ip + "</privateIpAddress>")
                    + "</item></instancesSet></item>");
        }
        Page page = page(items, form.get("NextToken"));
        return xml("<DescribeInstancesResponse xmlns=\"" + EC2_NS + "\"><requestId>" + UUID.randomUUID()
                + "</requestId><reservationSet>" + String.join("", page.items) + "</reservationSet>"
                + page.nextTokenElement("nextToken") + "</DescribeInstancesResponse>");
    }

    private Response describeAutoScalingInstances(Map<String, String> form) {
        StringBuilder members = new StringBuilder();
        for (String id : members(form, "InstanceIds.member.")) {
            groups.forEach((name, ids) -> {
                if (ids.contains(id)) {
                    members.append("<member><InstanceId>" + id + "</InstanceId><InstanceType>t3.small</InstanceType>"
                            + "<AutoScalingGroupName>" + name + "</AutoScalingGroupName><AvailabilityZone>" + region
                            + "a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>HEALTHY"
                            + "</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>");
                }
            });
        }
        return xml("<DescribeAutoScalingInstancesResponse xmlns=\"" + ASG_NS + "\"><DescribeAutoScalingInstancesResult>"
                + "<AutoScalingInstances>" + members + "</AutoScalingInstances></DescribeAutoScalingInstancesResult>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</DescribeAutoScalingInstancesResponse>");
    }

    private Response describeAutoScalingGroups(Map<String, String> form) {
        List<String> names = members(form, "AutoScalingGroupNames.member.");
        // Pages split the instance list; each page repeats the group, as a paged listing of a large group would.
        List<String> items = new ArrayList<>();
        for (String name : names) {
            for (String id : groups.getOrDefault(name, List.of())) {
                items.add(name + " " + id);
            }
        }
        Page page = page(items, form.get("NextToken"));
        Map<String, StringBuilder> byGroup = new LinkedHashMap<>();
        for (String item : page.items) {
            String[] f = item.split(" ");
            byGroup.computeIfAbsent(f[0], k -> new StringBuilder())
                    .append("<member><InstanceId>" + f[1] + "</InstanceId><InstanceType>t3.small</InstanceType>"
                            + "<AvailabilityZone>" + region + "a</AvailabilityZone><LifecycleState>InService"
                            + "</LifecycleState><HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>false"
                            + "</ProtectedFromScaleIn></member>");
        }
        StringBuilder groupsXml = new StringBuilder();
        byGroup.forEach((name, members) -> groupsXml.append("<member><AutoScalingGroupName>" + name
                + "</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:" + region
                + ":123456789012:autoScalingGroup:x:autoScalingGroupName/" + name + "</AutoScalingGroupARN>"
                + "<MinSize>3</MinSize><MaxSize>3</MaxSize><DesiredCapacity>3</DesiredCapacity>"
                + "<DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>" + region
                + "a</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType>"
                + "<CreatedTime>2026-11-20T08:00:00.000Z</CreatedTime><Instances>" + members
                + "</Instances></member>"));
        return xml("<DescribeAutoScalingGroupsResponse xmlns=\"" + ASG_NS + "\"><DescribeAutoScalingGroupsResult>"
                + "<AutoScalingGroups>" + groupsXml + "</AutoScalingGroups>" + page.nextTokenElement("NextToken")
                + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>");
    }

    private record Page(List<String> items, String nextToken) {
        String nextTokenElement(String element) {
            return nextToken == null ? "" : "<" + element + ">" + nextToken + "</" + element + ">";
        }
    }

    private Page page(List<String> items, String token) {
        int from = token == null ? 0 : Integer.parseInt(token.substring("page-".length()));
        int to = Math.min(items.size(), from + pageSize);
        return new Page(items.subList(from, to), to < items.size() ? "page-" + to : null);
    }

    private static Map<String, Set<String>> filters(Map<String, String> form) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
            out.put(form.get("Filter." + i + ".Name"), new LinkedHashSet<>(members(form, "Filter." + i + ".Value.")));
        }
        return out;
    }

    private static List<String> members(Map<String, String> form, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + i); i++) {
            out.add(form.get(prefix + i));
        }
        return out;
    }

    private static Response xml(String body) {
        return Response.of(200, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body);
    }

    private static Response ec2Error(ApiError e) {
        return Response.of(
                e.status(),
                "text/xml;charset=UTF-8",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + e.code() + "</Code>"
                        + "<Message>" + e.message() + "</Message></Error></Errors><RequestID>" + UUID.randomUUID()
                        + "</RequestID></Response>");
    }

    private static Response asgError(ApiError e) {
        return Response.of(
                e.status(),
                "text/xml;charset=UTF-8",
                "<ErrorResponse xmlns=\"" + ASG_NS + "\"><Error><Type>Sender</Type><Code>" + e.code() + "</Code>"
                        + "<Message>" + e.message() + "</Message></Error><RequestId>" + UUID.randomUUID()
                        + "</RequestId></ErrorResponse>");
    }

    @Override
    public void close() {
        server.close();
    }
}
