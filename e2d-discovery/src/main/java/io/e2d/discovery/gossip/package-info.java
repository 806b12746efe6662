/**
 * Gossip membership: each e2d node publishes its {@link io.e2d.discovery.gossip.NodeMetadata} and learns
 * who else is alive. Entry point: {@link io.e2d.discovery.gossip.Membership#create(MembershipConfig)}.
 */
@NullMarked
package io.e2d.discovery.gossip;

import org.jspecify.annotations.NullMarked;
