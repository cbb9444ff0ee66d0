enum _PlaceholderMinyiApp {}
