using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>
/// STS <c>AssumeRole</c> over the AWS query protocol (form POST, XML answer), so a sops <c>arn+role</c> key can assume
/// its role against the fake (<c>AWS_ENDPOINT_URL_STS</c>). Issued session credentials are accepted by KMS and SSM and
/// recorded in <see cref="AssumedRoles"/>, so tests can assert which identity signed a call.
/// </summary>
public sealed partial class FakeAws
{
    private static readonly XNamespace StsNs = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly List<AssumedRole> _assumedRoles = [];
    private readonly HashSet<string> _deniedRoles = new(StringComparer.Ordinal);

    /// <summary>Every successful AssumeRole, in order.</summary>
    public IReadOnlyList<AssumedRole> AssumedRoles
    {
        get
        {
            lock (_gate)
            {
                return [.. _assumedRoles];
            }
        }
    }

    /// <summary>Makes AssumeRole of <paramref name="roleArn"/> answer <c>AccessDenied</c> (the role's trust policy refuses the caller).</summary>
    public void DenyAssumeRole(string roleArn)
    {
        lock (_gate)
        {
            _deniedRoles.Add(roleArn);
        }
    }

    private bool IsSessionKey(string accessKeyId)
    {
        lock (_gate)
        {
            return _assumedRoles.Exists(r => r.AccessKeyId == accessKeyId);
        }
    }

    private async Task HandleQueryAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var action = form["Action"].ToString();
        var (accessKey, region) = ParseAuthorization(context.Request.Headers.Authorization.ToString());
        var request = new AwsRequest("STS." + action, accessKey, region, []);
        lock (_requests)
        {
            _requests.Add(request);
        }

        XElement response;
        try
        {
            CheckCaller(request, context.Request.Headers["X-Amz-Security-Token"].ToString());
            if (Faults.Take(request).Fault is { } fault)
            {
                throw new AwsException(fault.Type, fault.Message, fault.StatusCode);
            }

            response = action == "AssumeRole"
                ? AssumeRole(form["RoleArn"].ToString(), form["RoleSessionName"].ToString(), accessKey!)
                : throw new AwsException("InvalidAction", $"the fake does not implement STS {action}");
            request.StatusCode = 200;
        }
        catch (AwsException e)
        {
            request.ErrorType = e.Type;
            request.StatusCode = e.Type is "AccessDenied" or "AccessDeniedException" ? 403 : e.StatusCode;
            response = new XElement(StsNs + "ErrorResponse",
                new XElement(StsNs + "Error", new XElement(StsNs + "Type", "Sender"), new XElement(StsNs + "Code", e.Type), new XElement(StsNs + "Message", e.Message)),
                new XElement(StsNs + "RequestId", Guid.NewGuid().ToString()));
        }

        context.Response.StatusCode = request.StatusCode;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(response.ToString(SaveOptions.DisableFormatting), context.RequestAborted);
    }

    private XElement AssumeRole(string roleArn, string sessionName, string callerKey)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(roleArn, @"^arn:aws[\w-]*:iam::\d{12}:role/.+$") || sessionName.Length is < 2 or > 64)
        {
            throw AwsException.Validation("1 validation error detected: Value at 'roleArn' or 'roleSessionName' failed to satisfy constraint");
        }

        AssumedRole role;
        lock (_gate)
        {
            if (_deniedRoles.Contains(roleArn))
            {
                throw new AwsException("AccessDenied", $"User: arn:aws:iam::{AccountId}:user/test is not authorized to perform: sts:AssumeRole on resource: {roleArn}", 403);
            }

            role = new AssumedRole(roleArn, sessionName, callerKey, "ASIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
            _assumedRoles.Add(role);
        }

        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        return new XElement(StsNs + "AssumeRoleResponse",
            new XElement(StsNs + "AssumeRoleResult",
                new XElement(StsNs + "Credentials",
                    new XElement(StsNs + "AccessKeyId", role.AccessKeyId),
                    new XElement(StsNs + "SecretAccessKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(30))),
                    new XElement(StsNs + "SessionToken", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))),
                    new XElement(StsNs + "Expiration", Now.AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
                new XElement(StsNs + "AssumedRoleUser",
                    new XElement(StsNs + "Arn", $"arn:aws:sts::{AccountId}:assumed-role/{roleName}/{sessionName}"),
                    new XElement(StsNs + "AssumedRoleId", $"AROA{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}:{sessionName}"))),
            new XElement(StsNs + "ResponseMetadata", new XElement(StsNs + "RequestId", Guid.NewGuid().ToString())));
    }
}

/// <summary>One AssumeRole the fake granted: the role, the session name, who asked, and the session's access key id.</summary>
public sealed record AssumedRole(string RoleArn, string SessionName, string CallerAccessKeyId, string AccessKeyId);
