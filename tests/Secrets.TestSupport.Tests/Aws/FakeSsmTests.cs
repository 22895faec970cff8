using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Secrets.TestSupport.Fakes.Aws;

namespace Secrets.TestSupport.Tests.Aws;

public sealed class FakeSsmTests
{
    [Fact]
    public async Task Get_parameter_supports_latest_version_and_label_selectors()
    {
        await using var fake = await FakeAws.StartAsync();
        fake.PutParameter("/app/db/password", "one");
        fake.PutParameter("/app/db/password", "two");
        fake.LabelParameterVersion("/app/db/password", 1, "stable");
        using var ssm = AwsClients.Ssm(fake);

        async Task<Parameter> Get(string name) => (await ssm.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;

        Assert.Equal(("two", 2L), ((await Get("/app/db/password")).Value, (await Get("/app/db/password")).Version));
        Assert.Equal("one", (await Get("/app/db/password:1")).Value);
        var labelled = await Get("/app/db/password:stable");
        Assert.Equal(("one", ":stable"), (labelled.Value, labelled.Selector));
        Assert.Equal($"arn:aws:ssm:{fake.Region}:{fake.AccountId}:parameter/app/db/password", labelled.ARN);
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get("/app/missing"));
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => Get("/app/db/password:9"));
    }

    [Fact]
    public async Task Secure_strings_are_opaque_without_decryption()
    {
        await using var fake = await FakeAws.StartAsync();
        fake.PutParameter("/app/token", "s3cret", "SecureString");
        using var ssm = AwsClients.Ssm(fake);

        var plain = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/app/token", WithDecryption = true });
        var opaque = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/app/token", WithDecryption = false });

        Assert.Equal("s3cret", plain.Parameter.Value);
        Assert.Equal(ParameterType.SecureString, opaque.Parameter.Type);
        Assert.DoesNotContain("s3cret", opaque.Parameter.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_parameters_by_path_pages_recursively_with_the_sdk_paginator()
    {
        await using var fake = await FakeAws.StartAsync();
        for (var i = 0; i < 13; i++)
        {
            fake.PutParameter($"/app/item{i:D2}", $"v{i}");
        }

        fake.PutParameter("/app/nested/deep", "d");
        fake.PutParameter("/other/x", "no");
        using var ssm = AwsClients.Ssm(fake);

        var all = new List<string>();
        await foreach (var page in ssm.Paginators.GetParametersByPath(new GetParametersByPathRequest { Path = "/app", Recursive = true, MaxResults = 5 }).Responses)
        {
            all.AddRange(page.Parameters.Select(p => p.Name));
        }

        var shallow = await ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app/nested", Recursive = false });

        Assert.Equal(14, all.Count);
        Assert.Contains("/app/nested/deep", all);
        Assert.DoesNotContain("/other/x", all);
        Assert.Equal(3, fake.Requests.Count(r => r.Operation == "GetParametersByPath" && r.Body["MaxResults"] is not null));
        Assert.Equal("d", Assert.Single(shallow.Parameters).Value);
        var overLimit = 10 + all.Count - 13; // 11, computed: the SDK's analyzer rejects the literal, the service rejects the value
        var tooMany = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app", MaxResults = overLimit }));
        Assert.Equal("ValidationException", tooMany.ErrorCode);
    }

    [Fact]
    public async Task Put_parameter_and_tags_round_trip_through_the_sdk()
    {
        await using var fake = await FakeAws.StartAsync();
        using var ssm = AwsClients.Ssm(fake);

        await ssm.PutParameterAsync(new PutParameterRequest { Name = "/pushed/key", Value = "v1", Type = ParameterType.String, Tags = [new Tag { Key = "managed-by", Value = "secrets" }] });
        await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => ssm.PutParameterAsync(new PutParameterRequest { Name = "/pushed/key", Value = "v2" }));
        var second = await ssm.PutParameterAsync(new PutParameterRequest { Name = "/pushed/key", Value = "v2", Overwrite = true });
        var tags = await ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = "/pushed/key" });

        Assert.Equal(2, second.Version);
        Assert.Equal("v2", fake.GetParameterValue("/pushed/key"));
        Assert.Equal(("managed-by", "secrets"), (Assert.Single(tags.TagList).Key, tags.TagList[0].Value));
    }
}
