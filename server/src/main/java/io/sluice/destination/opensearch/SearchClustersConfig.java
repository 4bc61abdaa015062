package io.sluice.destination.opensearch;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.HttpUrl;
import io.sluice.aws.RoleAssumption;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where search destinations' clusters are and how Sluice reaches them (the {@code opensearch-*}
 * settings). A stream names its cluster by {@code DomainARN}, {@code ClusterEndpoint} or
 * {@code CollectionEndpoint}: a {@link Cluster} configured for that name wins; else a domain ARN goes to
 * {@code defaultCluster}, and an endpoint is used as it is, signed with SigV4 when it is on AWS.
 *
 * @param defaultCluster where domain ARNs no {@code domains} entry names go ({@code opensearch-endpoint})
 * @param domains clusters by the domain ARN streams give
 * @param endpoints clusters by the cluster or collection endpoint streams give
 * @param caBundle a PEM file of CA certificates trusted for every cluster, besides the JVM's
 * @param signing how SigV4-signed requests get their credentials
 * @param responseTimeout how long one bulk request waits for its response
 */
public record SearchClustersConfig(
        Optional<Cluster> defaultCluster,
        Map<String, Cluster> domains,
        Map<URI, Cluster> endpoints,
        Optional<Path> caBundle,
        Signing signing,
        Duration responseTimeout) {
    /** No cluster configured: only AWS-hosted and self-hosted endpoints streams give as they are. */
    public static final SearchClustersConfig NONE = new SearchClustersConfig(
            Optional.empty(), Map.of(), Map.of(), Optional.empty(), Signing.DEFAULT, Duration.ofMinutes(3));

    private static final Pattern AWS_HOST =
            Pattern.compile(".*\\.([a-z0-9-]+)\\.(es|aoss)\\.amazonaws\\.com(\\.cn)?", Pattern.CASE_INSENSITIVE);

    public SearchClustersConfig {
        requireNonNull(defaultCluster, "defaultCluster is null");
        domains = Map.copyOf(domains);
        endpoints = Map.copyOf(endpoints);
        requireNonNull(caBundle, "caBundle is null");
        requireNonNull(signing, "signing is null");
        requireNonNull(responseTimeout, "responseTimeout is null");
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
        }
    }

    /**
     * One cluster: the URL its {@code _bulk} API is under, how requests authenticate, and a PEM file of
     * CA certificates its TLS certificate may chain to.
     */
    public record Cluster(URI endpoint, Authentication authentication, Optional<Path> caBundle) {
        public Cluster {
            requireNonNull(endpoint, "endpoint is null");
            HttpUrl.require(endpoint, "cluster endpoint");
            requireNonNull(authentication, "authentication is null");
            requireNonNull(caBundle, "caBundle is null");
        }
    }

    /** How requests to a cluster authenticate. */
    public sealed interface Authentication {
        /** Not at all (a cluster without its security plugin, or one behind a proxy that authenticates). */
        record None() implements Authentication {}

        /** HTTP basic authentication (the security plugin's internal users). The password is a secret. */
        record Basic(String username, String password) implements Authentication {
            public Basic {
                requireNonNull(username, "username is null");
                requireNonNull(password, "password is null");
                if (username.isEmpty()) {
                    throw new IllegalArgumentException("username is empty");
                }
            }

            @Override
            public String toString() {
                return "Basic[username=" + username + ", password=****]";
            }
        }

        /** AWS SigV4 for the flavor's service ({@code es} or {@code aoss}) in {@code region}. */
        record SigV4(String region) implements Authentication {
            public SigV4 {
                requireNonNull(region, "region is null");
                if (region.isBlank()) {
                    throw new IllegalArgumentException("region is empty");
                }
            }
        }

        Authentication NONE = new None();
    }

    /**
     * The credentials SigV4 signs with: {@code credentials} (absent: the AWS SDK's default chain), as the
     * stream's {@code RoleARN} assumed through STS when {@code roleAssumption} says so for the cluster's
     * endpoint (as Firehose assumes it).
     */
    public record Signing(Optional<AccessKeys> credentials, RoleAssumption roleAssumption) {
        public static final Signing DEFAULT = new Signing(Optional.empty(), RoleAssumption.AUTO);

        public Signing {
            requireNonNull(credentials, "credentials is null");
            requireNonNull(roleAssumption, "roleAssumption is null");
        }
    }

    /** Every configured cluster: the default one, then those of domain ARNs, then those of endpoints. */
    public List<Cluster> clusters() {
        List<Cluster> all = new ArrayList<>();
        defaultCluster.ifPresent(all::add);
        all.addAll(domains.values());
        all.addAll(endpoints.values());
        return all;
    }

    /**
     * The cluster a stream delivers to: by its configured name, else the default cluster for a domain
     * ARN, else its endpoint as it is; empty for a domain ARN Sluice has no endpoint for.
     */
    public Optional<Cluster> resolve(SearchDestinationSpec.Cluster cluster) {
        return switch (cluster) {
            case SearchDestinationSpec.Cluster.Domain domain ->
                Optional.ofNullable(domains.get(domain.arn())).or(() -> defaultCluster);
            case SearchDestinationSpec.Cluster.Endpoint endpoint ->
                Optional.of(Optional.ofNullable(endpoints.get(endpoint.url()))
                        .orElseGet(() ->
                                new Cluster(endpoint.url(), awsAuthentication(endpoint.url()), Optional.empty())));
        };
    }

    /**
     * SigV4 in the endpoint's region for an endpoint of Amazon OpenSearch Service or Serverless
     * ({@code <name>.<region>.es.amazonaws.com}, {@code <id>.<region>.aoss.amazonaws.com}); none otherwise.
     */
    public static Authentication awsAuthentication(URI endpoint) {
        Matcher aws = AWS_HOST.matcher(endpoint.getHost());
        return aws.matches() ? new Authentication.SigV4(aws.group(1).toLowerCase(Locale.ROOT)) : Authentication.NONE;
    }
}
