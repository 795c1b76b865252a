package volcimtest

// liveGroupHandlers answers the live-group moderation actions.
var liveGroupHandlers = map[string]handler{}

// liveData is a live group's moderation state.
type liveData struct{}

// liveGroupCodes are the codes only this area answers (CodeN 740001 upwards).
var liveGroupCodes = map[string]codeInfo{}
