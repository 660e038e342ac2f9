package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// S3 keeps objects in a bucket of S3-compatible object storage (AWS S3,
// MinIO, Cloudflare R2, …), under a key prefix.
type S3 struct {
	client  *s3.Client
	presign *s3.PresignClient
	bucket  string
	// prefix is "" or ends with "/"; every object key begins with it.
	prefix string
	// publicURL, when set, is where clients read objects: publicURL + "/" +
	// prefix + key. When empty, URL presigns GET requests living presignTTL.
	publicURL  string
	presignTTL time.Duration
}

var _ Store = (*S3)(nil)

// DefaultPresignTTL is how long a presigned GET URL lives unless the spec
// says otherwise (presign=DURATION).
const DefaultPresignTTL = 15 * time.Minute

// The environment variables S3 credentials are read from; the MOVIEDB_S3_
// ones win over AWS's own names.
const (
	EnvS3AccessKey    = "MOVIEDB_S3_ACCESS_KEY_ID"
	EnvS3SecretKey    = "MOVIEDB_S3_SECRET_ACCESS_KEY"
	EnvS3SessionToken = "MOVIEDB_S3_SESSION_TOKEN"
)

// OpenS3 returns a store for spec,
// "s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true&public_url=URL&presign=15m".
// endpoint is the S3 API's base URL (empty: AWS for region), region
// defaults to us-east-1, path_style addresses the bucket in the path
// (MinIO and most self-hosted servers need it), public_url is a base URL
// serving the bucket's objects to anyone (a CDN, a public bucket); without
// it, clients get presigned GET URLs living presign (default 15m).
//
// Credentials come only from the environment: MOVIEDB_S3_ACCESS_KEY_ID,
// MOVIEDB_S3_SECRET_ACCESS_KEY and optionally MOVIEDB_S3_SESSION_TOKEN, or
// else AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
// They never appear in a spec, a flag or an error.
func OpenS3(ctx context.Context, spec string, getenv func(string) string) (*S3, error) {
	u, err := url.Parse(spec)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("blob: storage spec: want s3://BUCKET/PREFIX?endpoint=…&region=…")
	}
	st := &S3{bucket: u.Host, presignTTL: DefaultPresignTTL}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if err := checkKey(p); err != nil {
			return nil, fmt.Errorf("blob: s3 prefix %q: %s", p, err)
		}
		st.prefix = p + "/"
	}
	q := u.Query()
	for name := range q {
		switch name {
		case "endpoint", "region", "path_style", "public_url", "presign":
		default:
			return nil, fmt.Errorf("blob: s3 spec: unknown parameter %q (want endpoint, region, path_style, public_url, presign)", name)
		}
	}
	opts := s3.Options{
		Region: q.Get("region"),
		// Many S3-compatible servers reject or mangle the CRC checksums
		// AWS's SDK sends by default; send them only where required.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		HTTPClient:                 &http.Client{Timeout: 5 * time.Minute},
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		if err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" {
			return nil, fmt.Errorf("blob: s3 spec: endpoint %q is not an http(s) URL", e)
		}
		opts.BaseEndpoint = aws.String(strings.TrimRight(e, "/"))
	}
	if ps := q.Get("path_style"); ps != "" {
		if opts.UsePathStyle, err = strconv.ParseBool(ps); err != nil {
			return nil, fmt.Errorf("blob: s3 spec: path_style %q is not true or false", ps)
		}
	}
	if pu := q.Get("public_url"); pu != "" {
		puu, err := url.Parse(pu)
		if err != nil || (puu.Scheme != "http" && puu.Scheme != "https") || puu.Host == "" {
			return nil, fmt.Errorf("blob: s3 spec: public_url %q is not an http(s) URL", pu)
		}
		st.publicURL = strings.TrimRight(pu, "/")
	}
	if p := q.Get("presign"); p != "" {
		d, err := time.ParseDuration(p)
		if err != nil || d < time.Second || d > 7*24*time.Hour {
			return nil, fmt.Errorf("blob: s3 spec: presign %q is not a duration between 1s and 168h", p)
		}
		st.presignTTL = d
	}
	creds, err := s3Credentials(getenv)
	if err != nil {
		return nil, err
	}
	opts.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	st.client = s3.New(opts)
	st.presign = s3.NewPresignClient(st.client, s3.WithPresignExpires(st.presignTTL))
	return st, nil
}

// s3Credentials reads the static credentials from the environment.
func s3Credentials(getenv func(string) string) (aws.Credentials, error) {
	c := aws.Credentials{
		AccessKeyID:     getenv(EnvS3AccessKey),
		SecretAccessKey: getenv(EnvS3SecretKey),
		SessionToken:    getenv(EnvS3SessionToken),
		Source:          "moviedb environment",
	}
	if c.AccessKeyID == "" && c.SecretAccessKey == "" {
		c.AccessKeyID = getenv("AWS_ACCESS_KEY_ID")
		c.SecretAccessKey = getenv("AWS_SECRET_ACCESS_KEY")
		c.SessionToken = getenv("AWS_SESSION_TOKEN")
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return c, fmt.Errorf("blob: s3 storage needs credentials: set %s and %s (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
			EnvS3AccessKey, EnvS3SecretKey)
	}
	return c, nil
}

// Ping checks that the bucket exists and the credentials reach it.
func (st *S3) Ping(ctx context.Context) error {
	if _, err := st.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &st.bucket}); err != nil {
		return fmt.Errorf("blob: s3 bucket %q: %w", st.bucket, err)
	}
	return nil
}

// Put uploads r. A body that cannot seek is read into memory first: the
// SDK signs the payload, which needs its length.
func (st *S3) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	body, ok := r.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("blob: put %q: %w", key, err)
		}
		body = bytes.NewReader(b)
	}
	in := &s3.PutObjectInput{Bucket: &st.bucket, Key: aws.String(st.prefix + key), Body: body}
	if contentType != "" {
		in.ContentType = &contentType
	}
	if _, err := st.client.PutObject(ctx, in); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	return nil
}

// Open starts a GET of key.
func (st *S3) Open(ctx context.Context, key string) (*Object, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	out, err := st.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &st.bucket, Key: aws.String(st.prefix + key)})
	if err != nil {
		if isS3NotFound(err) {
			err = ErrNotFound
		}
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	obj := &Object{Body: out.Body, Info: Info{Key: key, Size: aws.ToInt64(out.ContentLength)},
		ContentType: aws.ToString(out.ContentType)}
	if out.LastModified != nil {
		obj.ModTime = *out.LastModified
	}
	return obj, nil
}

// Delete deletes key; S3 answers a missing key with success.
func (st *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	_, err := st.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &st.bucket, Key: aws.String(st.prefix + key)})
	if err != nil && !isS3NotFound(err) {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	return nil
}

// List pages through the keys under the store's prefix and prefix.
func (st *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	p := s3.NewListObjectsV2Paginator(st.client, &s3.ListObjectsV2Input{
		Bucket: &st.bucket, Prefix: aws.String(st.prefix + prefix),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("blob: list %q: %w", prefix, err)
		}
		for _, o := range page.Contents {
			info := Info{Key: strings.TrimPrefix(aws.ToString(o.Key), st.prefix), Size: aws.ToInt64(o.Size)}
			if o.LastModified != nil {
				info.ModTime = *o.LastModified
			}
			if err := fn(info); err != nil {
				return err
			}
		}
	}
	return nil
}

// URL returns the public URL of key when the spec gave public_url, and a
// presigned GET URL otherwise.
func (st *S3) URL(ctx context.Context, key string) (string, bool, error) {
	if err := CheckKey(key); err != nil {
		return "", false, err
	}
	if st.publicURL != "" {
		return st.publicURL + "/" + st.prefix + key, true, nil
	}
	req, err := st.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &st.bucket, Key: aws.String(st.prefix + key)})
	if err != nil {
		return "", false, fmt.Errorf("blob: presign %q: %w", key, err)
	}
	return req.URL, false, nil
}

// isS3NotFound reports whether err says the object (or bucket) is missing.
func isS3NotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound") {
		return true
	}
	var re *smithyhttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}
