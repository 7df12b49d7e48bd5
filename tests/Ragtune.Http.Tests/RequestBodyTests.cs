using System.Text;
using Ragtune.Core.Api;

namespace Ragtune.Http.Tests;

public sealed class RequestBodyTests
{
    [Theory]
    [InlineData("{\"question\":")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("{\"question\": \"q\", \"top\": \"five\"}")]
    [InlineData("not json")]
    public async Task Read_MalformedBody_IsMalformedJson(string body)
    {
        var result = await RequestBody.ReadAsync<AskRequest>(new MemoryStream(Encoding.UTF8.GetBytes(body)), null, 1024);

        Assert.Equal("malformed-json", result.Problem!.Code);
        Assert.Equal(400, result.Problem.Status);
    }

    [Fact]
    public async Task Read_BodyOverTheLimitWithoutContentLength_IsTooLarge()
    {
        var body = "{\"question\": \"" + new string('x', 5000) + "\"}";

        var result = await RequestBody.ReadAsync<AskRequest>(new MemoryStream(Encoding.UTF8.GetBytes(body)), null, 1024);

        Assert.Equal(413, result.Problem!.Status);
    }

    [Fact]
    public async Task Read_DeclaredLengthOverTheLimit_IsTooLargeWithoutReading()
    {
        var result = await RequestBody.ReadAsync<AskRequest>(Stream.Null, 2 * 1024 * 1024, 1024);

        Assert.Equal(413, result.Problem!.Status);
    }

    [Fact]
    public async Task Read_CamelCaseBody_Binds()
    {
        var body = "{\"question\":\"q\",\"minSimilarity\":0.4,\"history\":[{\"role\":\"user\",\"content\":\"hi\"}],\"filter\":{\"sources\":[\"a/*\"]}}";

        var result = await RequestBody.ReadAsync<AskRequest>(new MemoryStream(Encoding.UTF8.GetBytes(body)), body.Length, 1024);

        Assert.Equal(0.4f, result.Value!.MinSimilarity);
        Assert.Equal("hi", result.Value.History![0]!.Content);
        Assert.Equal(["a/*"], result.Value.Filter!.Sources);
    }
}
