module github.com/volcim/volcim-go/reference

go 1.24.0

require (
	github.com/volcengine/volc-sdk-golang v1.0.256
	github.com/volcim/volcim-go v0.2.0
)

require (
	github.com/cenkalti/backoff/v4 v4.1.2 // indirect
	github.com/google/uuid v1.3.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	golang.org/x/net v0.12.0 // indirect
	golang.org/x/text v0.11.0 // indirect
	golang.org/x/time v0.14.0 // indirect
)
