using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Ragtune.Cli.Verification;

/// <summary>
/// With a token: a caller that sends a forged <c>x-ms-client-principal</c> header (the one App Service authentication
/// sets) claiming groups sees no more documents than an anonymous caller (GET /api/documents, neither sending the
/// token). The groups claimed are those the token names (<c>groups</c>, <c>roles</c>) and those of the documents its
/// caller listed, so a server that believed the header would show their documents. A server that wants a token for
/// every call refuses both, which passes too.
/// </summary>
internal static class ForgedPrincipalCheck
{
    public const string Name = "forged-principal";
    public const string HeaderName = "x-ms-client-principal";

    private static readonly string[] GroupClaims = ["groups", "roles"];

    public static async Task<CheckResult> RunAsync(DeploymentClient client, IReadOnlyList<JsonElement>? callerDocuments, CancellationToken cancellationToken = default)
    {
        List<string> groups = [.. TokenGroups(client.Target.Token ?? string.Empty)
            .Concat(callerDocuments?.SelectMany(d => d.OfKind("groups", JsonValueKind.Array)?.EnumerateArray() ?? default).Where(g => g.ValueKind == JsonValueKind.String).Select(g => g.GetString()!) ?? [])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
        if (groups.Count == 0)
        {
            return new CheckResult(Name, CheckOutcome.Warn, "no group to claim: the token names none and no document listed with it has groups, so nothing was compared");
        }

        var anonymous = await client.SendAsync(ApiCall.Get("api/documents") with { Anonymous = true }, cancellationToken);
        var forged = await client.SendAsync(ApiCall.Get("api/documents") with { Anonymous = true, Headers = [new(HeaderName, Principal(groups))] }, cancellationToken);
        var claimed = $"a forged {HeaderName} claiming {Describe(groups)}";
        if (anonymous.Status is 401 or 403)
        {
            return forged.Status is 401 or 403
                ? forged.Result(Name, CheckOutcome.Pass, $"{claimed} is refused as an anonymous caller is ({anonymous.Status}): the server wants a token for every call")
                : forged.Status == 200
                    ? forged.Result(Name, CheckOutcome.Fail, $"{claimed} is let in where an anonymous caller is refused ({anonymous.Status})")
                    : forged.Unexpected(Name, $"{anonymous.Status}, as for an anonymous caller");
        }

        if (anonymous.Status != 200)
        {
            return anonymous.Unexpected(Name, "200 or 401 for an anonymous caller");
        }

        var anonymousList = DocumentList.Read(anonymous);
        if (anonymousList.Problem is not null)
        {
            return anonymous.Result(Name, CheckOutcome.Fail, $"the anonymous caller's list: {anonymousList.Problem}");
        }

        if (forged.Status != 200)
        {
            return forged.Status is >= 400 and < 500
                ? forged.Result(Name, CheckOutcome.Pass, $"{claimed} is refused")
                : forged.Unexpected(Name, "200 or a refusal (4xx)");
        }

        var forgedList = DocumentList.Read(forged);
        if (forgedList.Problem is not null)
        {
            return forged.Result(Name, CheckOutcome.Fail, $"the forged caller's list: {forgedList.Problem}");
        }

        var visible = anonymousList.Ids;
        var extra = forgedList.Documents.Where(d => !visible.Contains(d.StringOrNull("documentId")!)).ToList();
        return extra.Count == 0
            ? forged.Result(Name, CheckOutcome.Pass, string.Create(CultureInfo.InvariantCulture, $"{claimed} sees no document an anonymous caller does not ({forgedList.Documents.Count} and {anonymousList.Documents.Count})"))
            : forged.Result(Name, CheckOutcome.Fail, string.Create(
                CultureInfo.InvariantCulture,
                $"{claimed} sees {extra.Count} document{(extra.Count == 1 ? "" : "s")} an anonymous caller does not: {string.Join(", ", extra.Take(5).Select(d => d.StringOrNull("source")))}{(extra.Count > 5 ? ", ..." : "")}"));
    }

    /// <summary>The <c>groups</c> and <c>roles</c> claims of a JWT's payload, read without validating it; none for a token that is not a JWT.</summary>
    public static IReadOnlyList<string> TokenGroups(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return [];
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return [.. GroupClaims.SelectMany(claim => ClaimValues(payload.RootElement, claim))];
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return [];
        }
    }

    private static List<string> ClaimValues(JsonElement payload, string claim) =>
        payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty(claim, out var value) ? []
        : value.ValueKind == JsonValueKind.String ? [value.GetString()!]
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
        : [];

    /// <summary>The header's value as App Service authentication writes it: base64 JSON with a <c>groups</c> claim per group.</summary>
    private static string Principal(IEnumerable<string> groups) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = "aad",
            claims = groups.Select(group => new { typ = "groups", val = group }),
            name_typ = "name",
            role_typ = "roles",
        }));

    private static string Describe(List<string> groups) =>
        $"group{(groups.Count == 1 ? "" : "s")} {string.Join(", ", groups.Take(5))}{(groups.Count > 5 ? ", ..." : "")}";
}
