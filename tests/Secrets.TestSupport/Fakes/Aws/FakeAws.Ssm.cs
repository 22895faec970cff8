using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>
/// SSM Parameter Store (<c>AmazonSSM.GetParameter|GetParameters|GetParametersByPath|PutParameter|DeleteParameter|
/// LabelParameterVersion|ListTagsForResource|AddTagsToResource</c>): <c>name:version</c> and <c>name:label</c> selectors,
/// recursive paths with paging (MaxResults ≤ 10), SecureString decryption (test-infra.md §3, eso-flux.md §2.2).
/// </summary>
public sealed partial class FakeAws
{
    private readonly SortedDictionary<string, SsmParameter> _parameters = new(StringComparer.Ordinal);

    /// <summary>Creates or overwrites a parameter (type <c>String</c>, <c>StringList</c> or <c>SecureString</c>); returns the new version.</summary>
    public long PutParameter(string name, string value, string type = "String", IReadOnlyDictionary<string, string>? tags = null)
    {
        lock (_gate)
        {
            var body = new JsonObject { ["Name"] = name, ["Value"] = value, ["Type"] = type, ["Overwrite"] = true };
            var version = PutFromBody(body);
            foreach (var (key, tagValue) in tags ?? new Dictionary<string, string>())
            {
                _parameters[name].Tags[key] = tagValue;
            }

            return version;
        }
    }

    /// <summary>Moves <paramref name="labels"/> to version <paramref name="version"/> of a parameter.</summary>
    public void LabelParameterVersion(string name, long version, params string[] labels)
    {
        lock (_gate)
        {
            Label(Find(name), version, labels);
        }
    }

    /// <summary>The latest value of a parameter (e.g. to assert what a PushSecret wrote), or null.</summary>
    public string? GetParameterValue(string name)
    {
        lock (_gate)
        {
            return _parameters.GetValueOrDefault(name)?.Latest.Value;
        }
    }

    private JsonObject Ssm(string operation, JsonObject body) => operation switch
    {
        "GetParameter" => new JsonObject { ["Parameter"] = Get(RequiredString(body, "Name"), Decrypting(body)) },
        "GetParameters" => GetMany(body),
        "GetParametersByPath" => GetByPath(body),
        "PutParameter" => new JsonObject { ["Version"] = PutFromBody(body), ["Tier"] = "Standard" },
        "DeleteParameter" => _parameters.Remove(RequiredString(body, "Name")) ? [] : throw NotFound(),
        "LabelParameterVersion" => LabelRequest(body),
        "ListTagsForResource" => new JsonObject
        {
            ["TagList"] = new JsonArray(Find(RequiredString(body, "ResourceId")).Tags.OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()),
        },
        "AddTagsToResource" => AddTags(body),
        _ => throw new AwsException("UnknownOperationException", $"the fake does not implement SSM {operation}"),
    };

    private static bool Decrypting(JsonObject body) => body["WithDecryption"]?.GetValue<bool>() ?? false;

    private JsonObject Get(string reference, bool decrypt)
    {
        // "name", "name:3" (version) or "name:label"; names cannot contain ':' so the last one starts the selector.
        var arnPrefix = $"arn:aws:ssm:{Region}:{AccountId}:parameter";
        var local = reference.StartsWith(arnPrefix, StringComparison.Ordinal) ? reference[arnPrefix.Length..] : reference;
        var colon = local.LastIndexOf(':');
        var (name, selector) = colon < 0 ? (local, null) : (local[..colon], local[(colon + 1)..]);
        if (!_parameters.ContainsKey(name) && reference.StartsWith(arnPrefix, StringComparison.Ordinal))
        {
            name = name.TrimStart('/');
        }

        var parameter = Find(name);
        SsmParameterVersion version;
        if (selector is null)
        {
            version = parameter.Latest;
        }
        else if (long.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            version = parameter.Versions.Find(v => v.Version == number)
                ?? throw new AwsException("ParameterVersionNotFound", $"Systems Manager could not find version {number} of {name}. Verify the version and try again.");
        }
        else
        {
            version = parameter.Versions.Find(v => v.Labels.Contains(selector)) ?? throw NotFound();
        }

        var result = Describe(parameter, version, decrypt);
        if (selector is not null)
        {
            result["Selector"] = ":" + selector;
        }

        return result;
    }

    private JsonObject GetMany(JsonObject body)
    {
        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in (body["Names"] as JsonArray ?? []).Select(n => n!.GetValue<string>()))
        {
            try
            {
                found.Add(Get(name, Decrypting(body)));
            }
            catch (AwsException e) when (e.Type is "ParameterNotFound" or "ParameterVersionNotFound")
            {
                invalid.Add(name);
            }
        }

        return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };
    }

    private JsonObject GetByPath(JsonObject body)
    {
        var path = RequiredString(body, "Path");
        if (!path.StartsWith('/'))
        {
            throw AwsException.Validation($"The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        }

        var max = body["MaxResults"]?.GetValue<int>() ?? 10;
        if (max is < 1 or > 10)
        {
            throw AwsException.Validation($"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
        }

        var prefix = path.TrimEnd('/') + "/";
        var recursive = body["Recursive"]?.GetValue<bool>() ?? false;
        var matching = _parameters.Values
            .Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal) && (recursive || !p.Name[prefix.Length..].Contains('/', StringComparison.Ordinal)))
            .ToList();
        var start = body["NextToken"]?.GetValue<string>() is { } token ? DecodeToken(token) : 0;
        var page = matching.Skip(start).Take(max).Select(p => (JsonNode)Describe(p, p.Latest, Decrypting(body))).ToArray();
        var response = new JsonObject { ["Parameters"] = new JsonArray(page) };
        if (start + page.Length < matching.Count)
        {
            response["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("page:" + Invariant(start + page.Length)));
        }

        return response;
    }

    private long PutFromBody(JsonObject body)
    {
        var name = RequiredString(body, "Name");
        var value = RequiredString(body, "Value");
        var overwrite = body["Overwrite"]?.GetValue<bool>() ?? false;
        if (_parameters.TryGetValue(name, out var parameter) && !overwrite)
        {
            throw new AwsException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }

        var type = body["Type"]?.GetValue<string>() ?? parameter?.Type ?? throw AwsException.Validation("A parameter type is required when you create a parameter.");
        if (type is not ("String" or "StringList" or "SecureString"))
        {
            throw AwsException.Validation($"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        }

        if (parameter is null)
        {
            parameter = new SsmParameter(name, type);
            _parameters[name] = parameter;
        }

        parameter.Type = type;
        parameter.KeyId = body["KeyId"]?.GetValue<string>() ?? parameter.KeyId;
        parameter.Description = body["Description"]?.GetValue<string>() ?? parameter.Description;
        parameter.Versions.Add(new SsmParameterVersion(parameter.Versions.Count + 1, value, Now));
        foreach (var tag in (body["Tags"] as JsonArray ?? []).OfType<JsonObject>())
        {
            parameter.Tags[tag["Key"]!.GetValue<string>()] = tag["Value"]!.GetValue<string>();
        }

        return parameter.Latest.Version;
    }

    private JsonObject LabelRequest(JsonObject body)
    {
        var parameter = Find(RequiredString(body, "Name"));
        var version = body["ParameterVersion"]?.GetValue<long>() ?? parameter.Latest.Version;
        Label(parameter, version, (body["Labels"] as JsonArray ?? []).Select(l => l!.GetValue<string>()).ToArray());
        return new JsonObject { ["InvalidLabels"] = new JsonArray(), ["ParameterVersion"] = version };
    }

    private static void Label(SsmParameter parameter, long version, string[] labels)
    {
        var target = parameter.Versions.Find(v => v.Version == version)
            ?? throw new AwsException("ParameterVersionNotFound", $"Systems Manager could not find version {version} of {parameter.Name}.");
        foreach (var label in labels)
        {
            parameter.Versions.ForEach(v => v.Labels.Remove(label));
            target.Labels.Add(label);
        }
    }

    private JsonObject AddTags(JsonObject body)
    {
        var parameter = Find(RequiredString(body, "ResourceId"));
        foreach (var tag in (body["Tags"] as JsonArray ?? []).OfType<JsonObject>())
        {
            parameter.Tags[tag["Key"]!.GetValue<string>()] = tag["Value"]!.GetValue<string>();
        }

        return [];
    }

    private JsonObject Describe(SsmParameter parameter, SsmParameterVersion version, bool decrypt) => new()
    {
        ["Name"] = parameter.Name,
        ["Type"] = parameter.Type,
        // Without WithDecryption a SecureString comes back as an opaque encrypted blob, as from the real service.
        ["Value"] = parameter.Type == "SecureString" && !decrypt
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"AQICAH-fake-encrypted:{parameter.Name}:{version.Version}"))
            : version.Value,
        ["Version"] = version.Version,
        ["LastModifiedDate"] = EpochSeconds(version.Modified),
        ["ARN"] = $"arn:aws:ssm:{Region}:{AccountId}:parameter" + (parameter.Name.StartsWith('/') ? "" : "/") + parameter.Name,
        ["DataType"] = "text",
    };

    private SsmParameter Find(string name) => _parameters.GetValueOrDefault(name) ?? throw NotFound();

    private static AwsException NotFound() => new("ParameterNotFound", "");

    private static int DecodeToken(string token)
    {
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        return text.StartsWith("page:", StringComparison.Ordinal) && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : throw AwsException.Validation("The specified NextToken is not valid.");
    }
}
