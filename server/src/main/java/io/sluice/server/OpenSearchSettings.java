package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.credentials;
import static io.sluice.server.SettingRules.required;
import static io.sluice.server.SettingRules.roleAssumption;
import static io.sluice.server.SettingRules.throwIfAny;
import static io.sluice.server.SettingRules.url;

import io.sluice.destination.opensearch.SearchClustersConfig;
import io.sluice.destination.opensearch.SearchClustersConfig.Authentication;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the clusters of search destinations (OpenSearch Service, Elasticsearch, OpenSearch Serverless)
 * are, from the {@code opensearch-*} settings: the cluster of every {@code DomainARN} no other setting
 * names ({@code opensearch-endpoint}, with {@code opensearch-username} / {@code opensearch-password} or
 * {@code opensearch-region}), clusters by the domain ARN or the endpoint streams give
 * ({@code opensearch-domain.<label>.*}), the CA certificates trusted for every cluster
 * ({@code opensearch-ca-bundle}), the credentials SigV4 signs with ({@code opensearch-access-key},
 * {@code opensearch-secret-key}) and when the stream's role is assumed for it
 * ({@code opensearch-assume-role}, {@code opensearch-sts-endpoint}), and how long a bulk request waits
 * ({@code opensearch-response-timeout}). A cluster authenticates with basic auth when it has a username,
 * with SigV4 when it has a region or is on AWS ({@code *.es.amazonaws.com}, {@code *.aoss.amazonaws.com}),
 * else not at all. Every problem is reported at once.
 */
final class OpenSearchSettings {
    static final SettingFamily DOMAINS = new SettingFamily(
            "opensearch-domain",
            "label",
            Set.of("arn", "cluster-endpoint", "endpoint", "username", "password", "region", "ca-bundle"));

    /** What Firehose accepts as a {@code DomainARN}; a mapping for anything else would never apply. */
    private static final Pattern DOMAIN_ARN =
            Pattern.compile("arn:.*:es:[a-zA-Z0-9\\-]+:\\d{12}:domain/[a-z][-0-9a-z]{2,27}");

    private OpenSearchSettings() {}

    static SearchClustersConfig from(Settings settings) {
        List<String> problems = new ArrayList<>();
        Optional<SearchClustersConfig.Signing> signing = check(
                problems,
                () -> new SearchClustersConfig.Signing(
                        credentials(settings, "opensearch-access-key", "opensearch-secret-key"),
                        roleAssumption(settings, "opensearch-assume-role", "opensearch-sts-endpoint")));
        Optional<SearchClustersConfig.Cluster> defaultCluster = settings.optional("opensearch-endpoint")
                .flatMap(value -> check(
                        problems,
                        () -> cluster(
                                settings,
                                url(settings, "opensearch-endpoint"),
                                "opensearch-username",
                                "opensearch-password",
                                "opensearch-region",
                                Optional.empty())));
        if (defaultCluster.isEmpty()
                && (settings.optional("opensearch-username").isPresent()
                        || settings.optional("opensearch-region").isPresent())) {
            problems.add("settings 'opensearch-username' and 'opensearch-region' need 'opensearch-endpoint'");
        }
        Map<String, SearchClustersConfig.Cluster> domains = new LinkedHashMap<>();
        Map<URI, SearchClustersConfig.Cluster> endpoints = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : settings.instances(DOMAINS)) {
            check(problems, () -> domain(settings, label)).ifPresent(domain -> {
                String earlier = labels.putIfAbsent(domain.name(), label);
                if (earlier != null) {
                    problems.add("settings '" + DOMAINS.name() + "." + earlier + ".*' and '" + DOMAINS.name() + "."
                            + label + ".*' name the same cluster " + domain.name());
                } else if (domain.arn()) {
                    domains.put(domain.name(), domain.cluster());
                } else {
                    endpoints.put(URI.create(domain.name()), domain.cluster());
                }
            });
        }
        Optional<Path> caBundle = settings.optional("opensearch-ca-bundle").map(Path::of);
        Optional<Duration> timeout = check(problems, () -> settings.duration("opensearch-response-timeout"));
        throwIfAny(problems);
        try {
            return new SearchClustersConfig(
                    defaultCluster, domains, endpoints, caBundle, signing.orElseThrow(), timeout.orElseThrow());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings 'opensearch-*': " + e.getMessage());
        }
    }

    /** One {@code opensearch-domain.<label>.*} group, by the name streams give its cluster. */
    private record Domain(String name, boolean arn, SearchClustersConfig.Cluster cluster) {}

    private static Domain domain(Settings settings, String label) {
        String arnSetting = DOMAINS.setting(label, "arn");
        String clusterSetting = DOMAINS.setting(label, "cluster-endpoint");
        String endpointSetting = DOMAINS.setting(label, "endpoint");
        Optional<String> arn = settings.optional(arnSetting);
        Optional<String> clusterEndpoint = settings.optional(clusterSetting);
        if (arn.isPresent() == clusterEndpoint.isPresent()) {
            throw new IllegalArgumentException("settings '" + DOMAINS.name() + "." + label + ".*' need exactly one of '"
                    + arnSetting + "' (a DomainARN) and '" + clusterSetting
                    + "' (a ClusterEndpoint or CollectionEndpoint)");
        }
        if (arn.isPresent() && !DOMAIN_ARN.matcher(arn.get()).matches()) {
            throw new IllegalArgumentException("setting '" + arnSetting
                    + "' is not a domain ARN like arn:aws:es:us-east-1:123456789012:domain/NAME: " + arn.get());
        }
        if (arn.isPresent() && settings.optional(endpointSetting).isEmpty()) {
            throw required(endpointSetting, DOMAINS, label);
        }
        String name = arn.orElseGet(() -> url(settings, clusterSetting).toString());
        URI endpoint =
                settings.optional(endpointSetting).isPresent() ? url(settings, endpointSetting) : URI.create(name);
        return new Domain(
                name,
                arn.isPresent(),
                cluster(
                        settings,
                        endpoint,
                        DOMAINS.setting(label, "username"),
                        DOMAINS.setting(label, "password"),
                        DOMAINS.setting(label, "region"),
                        settings.optional(DOMAINS.setting(label, "ca-bundle")).map(Path::of)));
    }

    private static SearchClustersConfig.Cluster cluster(
            Settings settings,
            URI endpoint,
            String usernameSetting,
            String passwordSetting,
            String regionSetting,
            Optional<Path> caBundle) {
        Optional<String> username = settings.optional(usernameSetting);
        Optional<String> password = settings.optional(passwordSetting);
        Optional<String> region = settings.optional(regionSetting);
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("settings '" + usernameSetting + "' and '" + passwordSetting
                    + "' go together: set both or neither");
        }
        if (username.isPresent() && region.isPresent()) {
            throw new IllegalArgumentException("settings '" + usernameSetting + "' (basic authentication) and '"
                    + regionSetting + "' (SigV4) exclude each other");
        }
        Authentication authentication = username.<Authentication>map(
                        u -> new Authentication.Basic(u, password.orElseThrow()))
                .or(() -> region.map(Authentication.SigV4::new))
                .orElseGet(() -> SearchClustersConfig.awsAuthentication(endpoint));
        return new SearchClustersConfig.Cluster(endpoint, authentication, caBundle);
    }
}
