enum _PlaceholderMinyiStorageTesting {}
