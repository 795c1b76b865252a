// Package volcim is a typed Go client for the Volcengine RTC IM server
// OpenAPI (service "rtc", version 2020-12-01).
//
// A [Client] signs every request with Volcengine V4 (HMAC-SHA256)
// credentials, keeps each action under the API's 100 QPS budget, retries
// transient faults with fresh signatures, and decodes replies into typed
// results. See the README for a tour.
package volcim
