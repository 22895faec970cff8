using System.Text;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Templating;
using Secrets.Sealing.Manifests;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// ESO's ApplyTemplate (eso-flux.md §1.3): metadata (ES labels/annotations without a template, template.metadata with
/// one) → data cleared unless creationPolicy Merge/CreateOrMerge → no template: provider data → type → provider data
/// when mergePolicy Merge or the template has no data/templateFrom → templateFrom in order → template.data (wins) →
/// templated labels → templated annotations.
/// </summary>
public static class SecretTemplater
{
    public static async Task<KubeSecret> ApplyAsync(ExternalSecret externalSecret, KubeSecret baseSecret, IReadOnlyDictionary<string, byte[]> providerData, IKubeObjectReader objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        ArgumentNullException.ThrowIfNull(baseSecret);
        ArgumentNullException.ThrowIfNull(providerData);
        var target = externalSecret.Spec.Target;
        var template = target.Template;
        var labels = new SortedDictionary<string, string>(baseSecret.Labels, StringComparer.Ordinal);
        var annotations = new SortedDictionary<string, string>(baseSecret.Annotations, StringComparer.Ordinal);
        if (template is null)
        {
            Merge(labels, externalSecret.Metadata.Labels);
            Merge(annotations, externalSecret.Metadata.Annotations.Where(a => a.Key != EsoMetadata.LastAppliedAnnotation));
        }
        else
        {
            Merge(labels, template.Labels ?? new Dictionary<string, string>());
            Merge(annotations, template.Annotations ?? new Dictionary<string, string>());
        }

        var keepData = target.CreationPolicy is CreationPolicy.Merge or CreationPolicy.CreateOrMerge;
        var data = keepData ? new SortedDictionary<string, byte[]>(baseSecret.Data, StringComparer.Ordinal) : new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var result = baseSecret with { Labels = labels, Annotations = annotations, Data = data };
        if (template is null)
        {
            Merge(data, providerData);
            return result;
        }

        if (template.Type is { } type)
        {
            result = result with { Type = type };
        }

        if (template.Finalizers.Count > 0)
        {
            result = result with { Finalizers = [.. baseSecret.Finalizers.Union(template.Finalizers)] };
        }

        if (template.MergePolicy == TemplateMergePolicy.Merge || (template.Data.Count == 0 && template.TemplateFrom.Count == 0))
        {
            Merge(data, providerData);
        }

        var values = providerData.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal);
        var ns = externalSecret.Metadata.Namespace ?? "";
        foreach (var from in template.TemplateFrom)
        {
            foreach (var (key, rendered) in await RenderTemplateFromAsync(from, ns, values, objects, cancellationToken).ConfigureAwait(false))
            {
                switch (from.Target)
                {
                    case TemplateTarget.Data:
                        data[key] = Encoding.UTF8.GetBytes(rendered);
                        break;
                    case TemplateTarget.Labels:
                        labels[key] = rendered;
                        break;
                    default:
                        annotations[key] = rendered;
                        break;
                }
            }
        }

        foreach (var (key, text) in template.Data)
        {
            data[key] = Encoding.UTF8.GetBytes(GoTemplate.Render(key, text, values));
        }

        foreach (var (key, text) in template.Labels ?? new Dictionary<string, string>())
        {
            labels[key] = GoTemplate.Render(key, text, values);
        }

        foreach (var (key, text) in template.Annotations ?? new Dictionary<string, string>())
        {
            annotations[key] = GoTemplate.Render(key, text, values);
        }

        return result;
    }

    private static async Task<List<(string Key, string Value)>> RenderTemplateFromAsync(TemplateFrom from, string ns, IReadOnlyDictionary<string, string> values, IKubeObjectReader objects, CancellationToken cancellationToken)
    {
        var rendered = new List<(string, string)>();
        if (from.Literal is { } literal)
        {
            rendered.AddRange(KeysAndValues("literal", GoTemplate.Render("literal", literal, values)));
        }

        IReadOnlyDictionary<string, string>? sourceData = null;
        TemplateSource? source = null;
        if (from.ConfigMap is { } configMap)
        {
            source = configMap;
            sourceData = await objects.GetConfigMapDataAsync(ns, configMap.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new SyncException($"templateFrom: ConfigMap \"{ns}/{configMap.Name}\" not found");
        }
        else if (from.Secret is { } secret)
        {
            source = secret;
            var secretData = await objects.GetSecretDataAsync(ns, secret.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new SyncException($"templateFrom: Secret \"{ns}/{secret.Name}\" not found");
            sourceData = secretData.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal);
        }

        if (source is null || sourceData is null)
        {
            return rendered;
        }

        var items = source.Items.Count > 0 ? source.Items : [.. sourceData.Keys.Order(StringComparer.Ordinal).Select(k => new TemplateItem(k, TemplateScope.Values))];
        foreach (var item in items)
        {
            var text = sourceData.GetValueOrDefault(item.Key) ?? throw new SyncException($"templateFrom: key \"{item.Key}\" not found in {(from.ConfigMap is null ? "Secret" : "ConfigMap")} \"{ns}/{source.Name}\"");
            var output = GoTemplate.Render(item.Key, text, values);
            if (item.TemplateAs == TemplateScope.KeysAndValues)
            {
                rendered.AddRange(KeysAndValues(item.Key, output));
            }
            else
            {
                rendered.Add((item.Key, output));
            }
        }

        return rendered;
    }

    // KeysAndValues: the rendered text is a YAML map[string]string merged key by key (§1.9).
    private static IEnumerable<(string, string)> KeysAndValues(string name, string yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return [];
        }

        var objects = ManifestReader.ReadObjects(yaml, $"template \"{name}\"");
        return objects.SelectMany(o => o.Select(kv => (kv.Key, Nodes.GetString(kv.Value) ?? kv.Value?.ToJsonString() ?? "")));
    }

    private static void Merge<TValue>(SortedDictionary<string, TValue> into, IEnumerable<KeyValuePair<string, TValue>> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = value;
        }
    }
}
