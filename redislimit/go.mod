module github.com/volcim/volcim-go/redislimit

go 1.24.0

require (
	github.com/redis/go-redis/v9 v9.17.3
	github.com/volcim/volcim-go v0.2.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
)
