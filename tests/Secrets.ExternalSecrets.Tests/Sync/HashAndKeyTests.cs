using System.Text;
using System.Text.Json.Nodes;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;
using Secrets.TestSupport;

namespace Secrets.ExternalSecrets.Tests.Sync;

public sealed class HashAndKeyTests
{
    [VectorFact(EsoVectors.Folder)]
    public void Data_hash_and_resource_version_match_the_eso_vectors()
    {
        var vectors = JsonNode.Parse(File.ReadAllText(RepoPaths.Vector("eso", "hash-vectors.json")))!;
        var dataVectors = vectors["dataHash"]!.AsArray();
        Assert.Equal(5, dataVectors.Count);
        foreach (var vector in dataVectors)
        {
            var data = vector!["data_utf8"]!.AsObject().ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value!.GetValue<string>()));
            Assert.Equal(vector["sha3_224"]!.GetValue<string>(), EsoHash.DataHash(data));
        }

        foreach (var vector in vectors["metaHash"]!.AsArray())
        {
            Dictionary<string, string> Map(string field) => vector![field]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
            Assert.Equal(vector!["syncedResourceVersion"]!.GetValue<string>(), EsoHash.ResourceVersion(vector["generation"]!.GetValue<long>(), Map("labels"), Map("annotations")));
        }
    }

    [Theory]
    [InlineData(ConversionStrategy.Default, "/app/db/pass", "_app_db_pass")]
    [InlineData(ConversionStrategy.Unicode, "/app/db/pass", "_U002f_app_U002f_db_U002f_pass")]
    [InlineData(ConversionStrategy.Default, "a.b-c_d9", "a.b-c_d9")]
    [InlineData(ConversionStrategy.Default, "with space@x", "with_space_x")]
    [InlineData(ConversionStrategy.Unicode, "é", "é")]
    public void Key_conversion_follows_eso(ConversionStrategy strategy, string key, string expected) =>
        Assert.Equal(expected, KeyConversion.Convert(strategy, key));

    [Fact]
    public void Conversion_collisions_and_invalid_keys_are_errors_naming_keys()
    {
        var collision = Assert.Throws<SyncException>(() => KeyConversion.ConvertKeys(ConversionStrategy.Default, new Dictionary<string, byte[]> { ["a/b"] = [1], ["a_b"] = [2] }));
        Assert.Equal("secret name collision during conversion: a_b", collision.Message);
        var invalid = Assert.Throws<SyncException>(() => KeyConversion.Validate(new Dictionary<string, byte[]> { ["ok"] = [1], ["not/ok"] = [2] }));
        Assert.StartsWith("invalid secret keys: \"not/ok\" (TIP: use rewrite or conversionStrategy", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(["ok"], KeyConversion.Validate(new Dictionary<string, byte[]> { ["ok"] = [1], [""] = [2] }).Keys);
    }

    [Theory]
    [InlineData(DecodingStrategy.None, "aGVsbG8=", "aGVsbG8=")]
    [InlineData(DecodingStrategy.Base64, "aGVsbG8=", "hello")]
    [InlineData(DecodingStrategy.Base64, "aGVs\nbG8=", "hello")]
    [InlineData(DecodingStrategy.Base64URL, "Pz8_", "???")]
    [InlineData(DecodingStrategy.Auto, "Pz8_", "???")]
    [InlineData(DecodingStrategy.Auto, "Pz8/", "???")]
    [InlineData(DecodingStrategy.Auto, "not base64!", "not base64!")]
    [InlineData(DecodingStrategy.Auto, "aGVsbG8", "aGVsbG8")]
    public void Decoding_strategies_follow_go_encoding_base64(DecodingStrategy strategy, string input, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(Decoding.Decode(strategy, Encoding.UTF8.GetBytes(input), "k")));

    [Theory]
    [InlineData(DecodingStrategy.Base64, "aGVsbG8")]
    [InlineData(DecodingStrategy.Base64, "aGVs bG8=")]
    [InlineData(DecodingStrategy.Base64URL, "Pz8/")]
    public void Strict_decoding_errors_name_the_key_only(DecodingStrategy strategy, string input)
    {
        var e = Assert.Throws<SyncException>(() => Decoding.Decode(strategy, Encoding.UTF8.GetBytes(input), "db-pass"));
        Assert.Contains("\"db-pass\"", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(input, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":{"first":"Tom","last":"Anderson"},"age":37,"ratio":1.50,"big":1e3,"ok":true,"nil":null,"friends":[{"first":"Dale"},{"first":"Roger"}],"key.with.dots":"dotted"}""", "name.last", "Anderson")]
    [InlineData("""{"age":37}""", "age", "37")]
    [InlineData("""{"ratio":1.50}""", "ratio", "1.5")]
    [InlineData("""{"big":1e3}""", "big", "1000")]
    [InlineData("""{"neg":-0.25}""", "neg", "-0.25")]
    [InlineData("""{"ok":true}""", "ok", "true")]
    [InlineData("""{"name": { "first" :  "Tom" }}""", "name", """{ "first" :  "Tom" }""")]
    [InlineData("""{"friends":[{"first":"Dale"},{"first":"Roger"}]}""", "friends.1.first", "Roger")]
    [InlineData("""{"friends":[{"first":"Dale"},{"first":"Roger"}]}""", "friends.#", "2")]
    [InlineData("""{"friends":[{"first":"Dale"},{"first":"Roger"}]}""", "friends.#.first", """["Dale","Roger"]""")]
    [InlineData("""{"key.with.dots":"dotted"}""", @"key\.with\.dots", "dotted")]
    [InlineData("""{"child":"a","chimp":"b"}""", "chi?p", "b")]
    [InlineData("""{"child":"a","chimp":"b"}""", "ch*", "a")]
    [InlineData("""{"s":"line\nbreak \u00e9"}""", "s", "line\nbreak é")]
    public void Gjson_subset_returns_result_strings(string json, string path, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(GJson.Get(json, path)!));

    [Theory]
    [InlineData("""{"a":1}""", "b")]
    [InlineData("""{"a":null}""", "a")]
    [InlineData("""{"a":[1]}""", "a.5")]
    [InlineData("not json", "a")]
    public void Gjson_missing_paths_are_null(string json, string path) => Assert.Null(GJson.Get(json, path));
}
