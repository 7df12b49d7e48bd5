using System.Text;
using Microsoft.AspNetCore.Http;
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

    [Fact]
    public async Task Read_BodyShorterThanItsContentLength_Is400()
    {
        using var body = new FailingStream(new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest));

        var result = await RequestBody.ReadAsync<AskRequest>(body, 100, 1024);

        Assert.Equal(400, result.Problem!.Status);
        Assert.Equal("unreadable-body", result.Problem.Code);
    }

    [Fact]
    public async Task Read_BodyArrivingTooSlowly_Is408()
    {
        using var body = new FailingStream(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", StatusCodes.Status408RequestTimeout));

        var result = await RequestBody.ReadAsync<AskRequest>(body, null, 1024);

        Assert.Equal(408, result.Problem!.Status);
        Assert.Equal("request-timeout", result.Problem.Code);
    }

    [Fact]
    public async Task Read_ConnectionResetMidBody_Is400()
    {
        using var body = new FailingStream(new IOException("Connection reset by peer"));

        var result = await RequestBody.ReadAsync<AskRequest>(body, 100, 1024);

        Assert.Equal(400, result.Problem!.Status);
    }

    /// <summary>A request body whose reading fails as Kestrel's does when the client's framing is broken.</summary>
    private sealed class FailingStream(IOException failure) : MemoryStream
    {
        public override bool CanSeek => false;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);
    }
}
